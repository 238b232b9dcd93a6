// Routes with cheap state beyond the core flows. Everything else answers its spec example.
import type { Route } from '../http.js';

export const extraRoutes: Route[] = [];

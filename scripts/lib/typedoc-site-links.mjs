// TypeDoc plugin (loaded by typedoc.json): links from the SDK reference to the rest of the docs site.
// TypeDoc writes `navigationLinks` and `titleLink` into every page verbatim, so a relative URL is only
// right on the pages at one folder depth (sdk/index.html) and points into sdk/ from sdk/classes/*.
// typedoc.json therefore writes them as `@site/<path inside docs/site>`, and this plugin turns that
// into the path from each page to the site's root.
import { PageEvent } from 'typedoc';

export const SITE_PREFIX = '@site/';

/** The relative path from a page of the SDK reference (its URL inside sdk/) to the site root. */
export function toSiteRoot(pageUrl) {
  const depth = pageUrl.split('/').length - 1;
  return '../'.repeat(depth + 1);
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.renderer.on(PageEvent.END, (page) => {
    if (!page.contents) return;
    page.contents = page.contents.replaceAll(`"${SITE_PREFIX}`, `"${toSiteRoot(page.url)}`);
  });
}

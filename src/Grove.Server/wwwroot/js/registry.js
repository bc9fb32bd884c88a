// The page registry: every service's page registers itself here (see pages.js) and the shell builds its navigation
// and routes from it. A page is loaded on first visit only, so adding pages does not slow the console's start.

const pages = [];

/**
 * Registers a page.
 * @param {{ id: string, title: string, load: () => Promise<{ mount: Function }>, admin?: boolean }} page
 *   id: the first segment of the address (#/id/...); title: the navigation label; load: imports the page module;
 *   admin: shown to admins only.
 */
export function registerPage(page) {
  if (!/^[a-z][a-z0-9-]*$/.test(page.id)) throw new Error(`page id '${page.id}' must be lower-case letters, digits, dashes`);
  if (pages.some((p) => p.id === page.id)) throw new Error(`page '${page.id}' is registered twice`);
  if (typeof page.load !== 'function') throw new Error(`page '${page.id}' needs a load() that imports its module`);
  pages.push({ admin: false, ...page });
}

/** The pages a user may see, in registration order. */
export function visiblePages(user) {
  return pages.filter((p) => !p.admin || (user && user.admin));
}

/** The page with this id, or undefined. */
export function findPage(id) {
  return pages.find((p) => p.id === id);
}

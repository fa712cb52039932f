/** URL of the learner catalog, a path page or a resource page. */
export function learnUrl(slug?: string, resourceId?: string): string {
  if (slug === undefined) return '/learn';
  const base = `/learn/${encodeURIComponent(slug)}`;
  return resourceId === undefined ? base : `${base}/${encodeURIComponent(resourceId)}`;
}

/** URL of a page of the learner catalog: a search, filters and the cursor of the page (empty ones left out). */
export function catalogUrl(query: { q?: string; tag?: string; level?: string; cursor?: string }): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(name, value);
  const search = params.toString();
  return search === '' ? '/learn' : `/learn?${search}`;
}

/** The id of a resource's list item on its path page (the anchor "Next up" links point to). */
export function resourceAnchor(resourceId: string): string {
  return `resource-${resourceId}`;
}

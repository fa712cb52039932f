/** URL of the learner catalog, a path page or a resource page. */
export function learnUrl(slug?: string, resourceId?: string): string {
  if (slug === undefined) return '/learn';
  const base = `/learn/${encodeURIComponent(slug)}`;
  return resourceId === undefined ? base : `${base}/${encodeURIComponent(resourceId)}`;
}

/** The id of a resource's list item on its path page (the anchor "Next up" links point to). */
export function resourceAnchor(resourceId: string): string {
  return `resource-${resourceId}`;
}

/** The `tags` form field of an upload: a comma-separated list. */
import { ApiError } from "../http/apiError.js";

/** Longest tag and most tags, as the spec's `Tag` schema and `File.tags` allow. */
export const TAG_LIMITS = { maxLength: 50, maxCount: 50 } as const;

/**
 * Splits, trims, drops empty entries and duplicates (first one wins). Throws a 400 `ApiError`
 * for a tag the spec's `Tag` schema would refuse.
 */
export function parseTags(raw: string | undefined): string[] {
  const tags = [...new Set((raw ?? "").split(",").map((t) => t.trim()).filter(Boolean))];
  for (const tag of tags) {
    if (Array.from(tag).length > TAG_LIMITS.maxLength) {
      throw new ApiError("bad_request", `Tag "${tag.slice(0, 20)}…" is longer than ${TAG_LIMITS.maxLength} characters`);
    }
    if (/[\u0000-\u001f\u007f]/u.test(tag)) throw new ApiError("bad_request", "Tags cannot contain control characters");
  }
  if (tags.length > TAG_LIMITS.maxCount) throw new ApiError("bad_request", `At most ${TAG_LIMITS.maxCount} tags`);
  return tags;
}

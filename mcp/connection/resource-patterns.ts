/**
 * The `resources` patterns of a server definition: `*` matches within one path segment,
 * `**` across segments, everything else literally. `file://**` matches every file URI.
 */
export function compileResourcePattern(pattern: string): RegExp {
  let source = "";
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === "*" && pattern[index + 1] === "*") {
      source += ".*";
      index++;
    } else if (char === "*") {
      source += "[^/]*";
    } else {
      source += char.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`);
}

/** Whether `uri` matches any of `patterns`. */
export function matchesResourcePatterns(uri: string, patterns: readonly RegExp[]): boolean {
  return patterns.some((pattern) => pattern.test(uri));
}

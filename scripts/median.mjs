// The median of a list of numbers (the bench scripts' figure for a scenario's runs and ratios).
export const median = (a) => {
  const s = [...a].sort((x, y) => x - y), m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

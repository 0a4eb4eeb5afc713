/** Up to two initials of a name; '' when the name is not made of words (a phone number). */
export function initials(name: string): string {
  const words = name
    .trim()
    .replace(/^@/, '')
    .split(/[\s._-]+/)
    .filter((w) => /^\p{L}/u.test(w));
  return words
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('');
}

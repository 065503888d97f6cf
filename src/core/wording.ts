/**
 * Counts, lists and pronouns in messages, as a person writes them: "1 parameter" and "2 parameters", "a, b and c",
 * "import it" for one name and "import them" for several. Every message that puts a number or a list into a
 * sentence builds it here, so the grammar cannot depend on which count the message happened to be tested with.
 */

/** "1 file", "0 files", "1234 files"; `many` for irregular plurals ("1 entry", "2 entries"). */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "a", "a and b", "a, b and c" (`conjunction` "or" for alternatives); "" for none. */
export function listOf(items: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** The pronoun standing for `n` things: "it" for one, "them" otherwise. */
export function itOrThem(n: number): 'it' | 'them' {
  return n === 1 ? 'it' : 'them';
}

/**
 * Splits what the user typed into To into addresses. Commas inside quoted display names
 * ("Doe, Jane" <jane@x.org>) do not split; only the bare address is sent to the core.
 */
export function splitAddressList(input: string): { valid: string[]; invalid: string[] } {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of input) {
    if (char === '"') quoted = !quoted;
    if ((char === ',' || char === ';') && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  const valid: string[] = [];
  const invalid: string[] = [];
  for (const raw of parts.map((p) => p.trim()).filter(Boolean)) {
    const angle = /<([^<>]+)>\s*$/.exec(raw);
    const address = (angle ? angle[1]! : raw).trim();
    if (/^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/.test(address)) valid.push(address);
    else invalid.push(raw);
  }
  return { valid, invalid };
}

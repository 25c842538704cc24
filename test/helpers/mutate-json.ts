/**
 * Seeded structural mutations of a JSON document: one field (at any depth) replaced by a
 * boundary value or a value of the wrong type, or removed. Returns the copy and what changed.
 */

type Json = unknown;

const VALUES: readonly Json[] = [
  null,
  true,
  0,
  -1,
  1,
  1.5,
  2 ** 31,
  2 ** 32 + 1,
  2 ** 53 - 1,
  -(2 ** 53),
  1e308,
  '',
  'x',
  'EvilOp',
  '../../etc/passwd',
  '//evil.example/x.bin',
  [],
  [0],
  [-1, 3],
  {},
  { dtype: 'uint16' },
];

/** Every [container, key] pair of the document, breadth first (no recursion: the input is ours, but stay safe). */
function slots(root: Json): Array<[Record<string, Json> | Json[], string | number]> {
  const found: Array<[Record<string, Json> | Json[], string | number]> = [];
  const queue: Json[] = [root];
  while (queue.length > 0) {
    const node = queue.shift();
    if (Array.isArray(node)) node.forEach((child, i) => (found.push([node, i]), queue.push(child)));
    else if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) found.push([node as Record<string, Json>, key]), queue.push(child);
    }
  }
  return found;
}

export function mutateJson(input: Json, random: () => number): { json: Json; change: string } {
  const json = structuredClone(input);
  const all = slots(json);
  const [container, key] = all[Math.floor(random() * all.length)]!;
  const roll = random();
  if (roll < 0.15) {
    if (Array.isArray(container)) container.splice(key as number, 1);
    else delete container[key as string];
    return { json, change: `removed ${String(key)}` };
  }
  const value = roll < 0.25 ? [(container as Record<string, Json>)[key as string]] : VALUES[Math.floor(random() * VALUES.length)];
  (container as Record<string, Json>)[key as string] = value;
  return { json, change: `${String(key)} = ${JSON.stringify(value)}` };
}

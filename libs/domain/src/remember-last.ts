/**
 * `compute`, remembering its last argument and answer: a value asked again right after is not
 * computed again. For conversions run per event over runs of equal inputs (a group commit gives
 * all its events one recordedAt), where a Map would hold every input ever seen.
 */
export function rememberLast<K, V>(compute: (key: K) => V): (key: K) => V {
  let seen = false;
  let lastKey: K | undefined;
  let lastValue: V | undefined;
  return (key: K): V => {
    if (!seen || !Object.is(key, lastKey)) {
      lastValue = compute(key);
      lastKey = key;
      seen = true;
    }
    return lastValue as V;
  };
}

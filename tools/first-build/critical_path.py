"""The critical path of a `cargo build --timings` report, by time: from the
unit that ends last, each step back is the unit that ended latest at or
before the current one started (what it was waiting for)."""
import json, re, sys

html = open(sys.argv[1]).read()
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S).group(1))
end = lambda u: u["start"] + u["duration"]
print(f"  total {max(end(u) for u in units):.1f} s, {len(units)} units; critical path:")
chain, unit = [], max(units, key=end)
seen = set()
while unit is not None:
    chain.append(unit)
    seen.add(id(unit))
    # Units already on the chain are skipped: two that take no time at
    # the same instant would otherwise lead back to each other forever.
    before = [u for u in units if end(u) <= unit["start"] + 0.05 and id(u) not in seen]
    unit = max(before, key=end) if before else None
for u in reversed(chain):
    label = (u["name"] + " " + u.get("target", "").strip()).strip()
    print(f"    {label:<44} {u['start']:7.1f} -> {end(u):7.1f} ({u['duration']:5.1f} s)")

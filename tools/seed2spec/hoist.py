"""Hoist object shapes the seed repeats into `components/schemas`.

Two object schemas are the same shape when they are equal but for their own
`description` (which stays beside the `$ref`, where OpenAPI 3.1 allows it).
The largest repeated shape is hoisted first, so a repeated block inside a
repeated record becomes a reference inside the hoisted record.
"""
import json
import re
from collections import OrderedDict, defaultdict

from names import NAMES


def shape_key(schema):
    s = OrderedDict((k, v) for k, v in schema.items() if k != "description")
    return json.dumps(s, sort_keys=True)


def is_hoistable(schema):
    return isinstance(schema, dict) and "$ref" not in schema and (
        "properties" in schema or "allOf" in schema or "oneOf" in schema)


def walk(schema, ctx, visit):
    """Visit every schema below `schema` (post-order), with a context path."""
    if not isinstance(schema, dict):
        return
    for name, child in schema.get("properties", {}).items():
        walk(child, ctx + [name], visit)
    if "items" in schema:
        walk(schema["items"], ctx + ["[]"], visit)
    for key in ("allOf", "oneOf", "anyOf"):
        for i, child in enumerate(schema.get(key, [])):
            walk(child, ctx + [f"{key}{i}"], visit)
    visit(schema, ctx)


def roots(doc):
    """(schema holder, key, context) for every root schema in the document."""
    for path, item in doc["paths"].items():
        for method, op in item.items():
            oid = op["operationId"]
            body = op.get("requestBody")
            if body:
                for media in body["content"].values():
                    yield media, "schema", [oid, "request"]
            for status, resp in op["responses"].items():
                for media in resp.get("content", {}).values():
                    yield media, "schema", [oid, status]
    for name, schema in doc["components"]["schemas"].items():
        yield doc["components"]["schemas"], name, ["#" + name]


def pascal(word):
    return "".join(p[:1].upper() + p[1:] for p in re.split(r"[_\W]+", word) if p)


def singular(word):
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("ses") or word.endswith("xes"):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def auto_name(contexts):
    """A readable name from where a shape sits: its property, or its list."""
    votes = defaultdict(int)
    for ctx in contexts:
        i = len(ctx) - 1
        while i > 0 and re.match(r"^(allOf|oneOf|anyOf)\d+$", ctx[i]):
            i -= 1
        if ctx[i] == "[]":
            base = singular(ctx[i - 1]) if i > 0 else "Item"
        else:
            base = ctx[i]
        # a shape at the root of another component says nothing about itself
        weight = 0 if base.startswith("#") else 1
        votes[pascal(base)] += weight
    return max(sorted(votes), key=lambda n: votes[n])


def hoist_shared_shapes(doc):
    schemas = doc["components"]["schemas"]
    report = []
    taken = set()
    while True:
        occurrences = defaultdict(list)
        for holder, key, ctx in roots(doc):
            root = holder[key]
            def visit(schema, c, _root=root, _comp=ctx[0].startswith("#")):
                if is_hoistable(schema) and not (_comp and schema is _root):
                    occurrences[shape_key(schema)].append((schema, c))
            walk(root, ctx, visit)
        repeated = [(len(k), k) for k, occ in occurrences.items() if len(occ) >= 2]
        if not repeated:
            break
        _, key = max(repeated)
        occ = occurrences[key]
        contexts = [c for _, c in occ]
        auto = auto_name(contexts)
        name = auto
        if name in schemas or name in taken:
            n = 2
            while f"{name}{n}" in schemas or f"{name}{n}" in taken:
                n += 1
            name = f"{name}{n}"
        taken.add(name)
        name = NAMES.get(name, name)
        if name in schemas:
            raise ValueError(f"component name {name} is taken twice")
        # keep the seed's key order, not the sorted one of the key
        first = occ[0][0]
        component = OrderedDict((k, first[k]) for k in first if k != "description")
        schemas[name] = json.loads(json.dumps(component), object_pairs_hook=OrderedDict)
        for schema, _ in occ:
            desc = schema.get("description")
            schema.clear()
            schema["$ref"] = f"#/components/schemas/{name}"
            if desc is not None:
                schema["description"] = desc
        report.append((name, auto, len(occ), sorted({" ".join(c[:1] + c[-2:]) for c in contexts})[:4]))
    return report

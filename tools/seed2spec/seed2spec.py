#!/usr/bin/env python3
"""Convert Zoom's reference text for the Accounts API (the "seed") into an
OpenAPI 3.1 document.

This is a developer tool, not part of the build: the committed
`spec/zoom-accounts.yaml` is the source of truth, and `cargo xtask regen`
puts it in canonical form. The tool exists so that the spec can be rebuilt,
and audited, from the seed plus the two reference files that complete it
(operationIds and parameters, and the boundaries of the "One of" bodies).

Usage: seed2spec.py SEED OPERATIONS_YAML ONE_OF_YAML OUT_YAML
"""
import json
import re
import sys
from collections import OrderedDict

import yaml

TYPES = ("string", "integer", "number", "boolean", "array", "object")
RATE_LABELS = {"light": "LIGHT", "medium": "MEDIUM", "heavy": "HEAVY",
               "resource-intensive": "RESOURCE-INTENSIVE"}
ERROR_SCHEMA_REF = "#/components/schemas/ZoomError"


class SeedError(Exception):
    pass


def clean(text):
    """Non-breaking spaces in the seed stand where plain spaces are meant."""
    return text.replace("\u00a0", " ").rstrip()


# ---------------------------------------------------------------- schemas

def split_values(text):
    """Split `"a", "b, c", 3` into JSON values, respecting quotes."""
    values, cur, quoted, i = [], "", False, 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            quoted = not quoted
            cur += ch
        elif ch == "\\" and quoted and i + 1 < len(text):
            cur += ch + text[i + 1]
            i += 1
        elif ch == "," and not quoted:
            values.append(cur.strip())
            cur = ""
        else:
            cur += ch
        i += 1
    if cur.strip():
        values.append(cur.strip())
    return [parse_scalar(v) for v in values]


def parse_scalar(token):
    try:
        return json.loads(token)
    except ValueError:
        return token


def parse_type_line(line):
    """`string, format: date, possible values: "a", "b", default: "a" — Text`"""
    head, sep, desc = line.partition(" — ")
    schema = OrderedDict()
    m = re.match(r"^(string|integer|number|boolean|array|object)\b(.*)$", head)
    if not m:
        raise SeedError(f"not a type line: {line!r}")
    schema["type"] = m.group(1)
    rest = m.group(2)
    # modifiers are `, key: value` with keys format / possible values / default
    parts = re.split(r",\s*(format|possible values|default):\s*", rest)
    if parts[0].strip():
        raise SeedError(f"unexpected text after type in {line!r}")
    for key, value in zip(parts[1::2], parts[2::2]):
        value = value.strip()
        if key == "format":
            schema["format"] = value
        elif key == "possible values":
            schema["enum"] = split_values(value)
        elif key == "default":
            schema["default"] = parse_scalar(value)
    if sep and desc.strip():
        schema["description"] = desc.strip()
    return schema


def block_lines(lines):
    """[(indent, text)] for non-blank lines."""
    out = []
    for raw in lines:
        text = clean(raw)
        if text.strip():
            out.append((len(text) - len(text.lstrip(" ")), text.strip()))
    return out


BULLET = re.compile(r"^• (\S+)( \(required\))?$")


def parse_schema(items, k):
    """Parse a schema body whose own lines sit at indent `k`.

    Returns (schema, composition) where composition is None or
    ("All of" | "One of", [(name, schema, required)]).
    """
    schema = OrderedDict()
    pos = 0
    if items and items[0][0] == k and items[0][1].split(",")[0].split(" ")[0] in TYPES \
            and not items[0][1].startswith("•"):
        schema.update(parse_type_line(items[0][1]))
        pos = 1
    props = []  # (name, schema, required)
    composition = None
    while pos < len(items):
        indent, text = items[pos]
        if indent != k:
            raise SeedError(f"unexpected indentation {indent} (want {k}) at {text!r}")
        if text == "Items:":
            item_schema, item_comp = parse_schema(items[pos + 1:], k)
            schema.setdefault("type", "array")
            schema["items"] = finish_object(item_schema, [], item_comp)
            pos = len(items)
            break
        if text in ("All of:", "One of:"):
            kind = text[:-1]
            if composition is None:
                composition = (kind, props)
            elif composition[0] != kind:
                raise SeedError(f"mixed compositions at {text!r}")
            pos += 1
            continue
        m = BULLET.match(text)
        if not m:
            raise SeedError(f"expected a property bullet at {text!r}")
        end = pos + 1
        while end < len(items) and items[end][0] > k:
            end += 1
        child, child_comp = parse_schema(items[pos + 1:end], k + 2)
        props.append((m.group(1), finish_object(child, [], child_comp), bool(m.group(2))))
        pos = end
    if composition is None and props:
        composition = (None, props)
    return schema, composition


def finish_object(schema, _unused, composition):
    """Attach parsed properties (plain, All of, One of) to a schema."""
    if composition is None:
        return schema
    kind, props = composition
    if kind is None:
        schema.setdefault("type", "object")
        attach_properties(schema, props)
        return schema
    if kind == "All of":
        schema.setdefault("type", "object")
        schema["allOf"] = [object_of(run) for run in alphabetical_runs(props)]
        return schema
    # A nested "One of" is resolved by the caller with the reference file.
    schema["x-one-of-pending"] = props
    return schema


def object_of(props):
    obj = OrderedDict(type="object")
    attach_properties(obj, props)
    return obj


def attach_properties(schema, props):
    schema["properties"] = OrderedDict()
    required = []
    for name, child, req in props:
        if name in schema["properties"]:
            raise SeedError(f"duplicate property {name}")
        schema["properties"][name] = child
        if req:
            required.append(name)
    if required:
        schema["required"] = required


def alphabetical_runs(props):
    """Split a flattened "All of" property list into its members.

    The seed's rendering concatenates the members of an allOf. Zoom lists the
    properties of each member in alphabetical order, so a member ends where
    the order breaks (`next_page_token .. total_records` then `accounts`).
    """
    runs, cur = [], []
    for p in props:
        if cur and p[0] < cur[-1][0]:
            runs.append(cur)
            cur = []
        cur.append(p)
    if cur:
        runs.append(cur)
    return runs


def resolve_one_of(schema, where, one_of_ref):
    """Split the seed's flattened One-of property list into its alternatives."""
    props = schema.pop("x-one-of-pending")
    variants = one_of_ref.get(where)
    if variants is None:
        raise SeedError(f"One of at {where} has no entry in one-of.yaml")
    queue = list(props)

    def take(names):
        names = set(names)
        taken = []
        while queue and queue[0][0] in names and queue[0][0] not in {t[0] for t in taken}:
            taken.append(queue.pop(0))
        if {t[0] for t in taken} != names:
            raise SeedError(f"One of at {where}: expected {sorted(names)}, got {[t[0] for t in taken]}")
        return taken

    alternatives = []
    for variant in variants:
        alt = OrderedDict()
        if variant.get("title"):
            alt["title"] = variant["title"]
        if "oneOf" in variant:
            alt["oneOf"] = []
            for sub in variant["oneOf"]:
                sub_alt = OrderedDict()
                if sub.get("title"):
                    sub_alt["title"] = sub["title"]
                sub_alt.update(object_of(take(sub["properties"])))
                alt["oneOf"].append(sub_alt)
        else:
            alt.update(object_of(take(variant["properties"])))
        alternatives.append(alt)
    if queue:
        raise SeedError(f"One of at {where}: properties left over: {[q[0] for q in queue]}")
    schema["oneOf"] = alternatives
    return schema


# ---------------------------------------------------------------- operations

ERROR_CODE = re.compile(r"\*\*Error Code:\*\*\s*`(\d+)`")


def parse_error_codes(description):
    """`**Error Code:** `1107` <br> Email domain is blocked. <br>` -> [{code, message}]"""
    codes = []
    matches = list(ERROR_CODE.finditer(description))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(description)
        text = description[m.end():end]
        text = text.split("**HTTP Status Code")[0]
        pieces = [p.strip() for p in text.split("<br>")]
        message = " ".join(p for p in pieces if p)
        codes.append(OrderedDict(code=int(m.group(1)), message=message))
    return codes


PREREQ = re.compile(r"^(Prerequisites|Pre-requisites|Pre-requisite)\s*:?\s*$")


def markdown_prose(lines):
    """Seed prose -> Markdown: paragraphs, and bullets as `- ` lists."""
    paras, bullets = [], []
    for raw in lines:
        text = clean(raw).strip()
        if not text:
            continue
        if text.startswith("• "):
            bullets.append("- " + text[2:].strip())
            continue
        if bullets:
            paras.append("\n".join(bullets))
            bullets = []
        paras.append(text)
    if bullets:
        paras.append("\n".join(bullets))
    return "\n\n".join(paras)


def find_ops(lines):
    starts = [i for i, l in enumerate(lines) if clean(l).startswith("  • Method:")]
    ops = []
    for n, i in enumerate(starts):
        begin = i - 2
        end = starts[n + 1] - 2 if n + 1 < len(starts) else len(lines)
        ops.append((begin, end))
    return ops


def parse_example(lines, where):
    text = "\n".join(clean(l) for l in lines).strip()
    try:
        return json.loads(text, object_pairs_hook=OrderedDict)
    except ValueError as e:
        raise SeedError(f"example at {where} is not JSON: {e}")


def parse_body(lines, start, stop_words, where, one_of_ref):
    """From a `Content-Type:` line: content type, schema, example, next index."""
    ct = clean(lines[start]).split(":", 1)[1].strip()
    j = start + 1
    while j < len(lines) and clean(lines[j]).strip() != "Example:" \
            and not any(clean(lines[j]).startswith(w) for w in stop_words):
        j += 1
    # At the root the seed prints `All of:` / `One of:` flush left while the
    # properties sit at indent 2; nested, both share one indent.
    items = [(2, t) if n == 0 and t in ("All of:", "One of:") else (n, t)
             for n, t in block_lines(lines[start + 1:j])]
    schema, comp = parse_schema(items, 2)
    schema = finish_object(schema, [], comp)
    if "x-one-of-pending" in schema:
        schema = resolve_one_of(schema, where, one_of_ref)
        schema.pop("type", None)
    example = None
    if j < len(lines) and clean(lines[j]).strip() == "Example:":
        k = j + 1
        while k < len(lines) and not any(clean(lines[k]).startswith(w) for w in stop_words):
            k += 1
        example = parse_example(lines[j + 1:k], where)
        j = k
    media = OrderedDict(schema=schema)
    if example is not None:
        media["example"] = example
    return ct, media, j


def parse_operation(lines, ref_by_key, one_of_ref):
    summary = clean(lines[0]).strip()
    fields = {}
    i = 2
    while clean(lines[i]).startswith("  • "):
        key, _, value = clean(lines[i])[4:].partition(":")
        fields[key.strip()] = value.strip()
        i += 1
    method, path = fields["Method"].lower(), fields["Path"]
    op = OrderedDict()
    op["tags"] = [t.strip() for t in fields["Tags"].split(",")]
    op["summary"] = summary
    meta_start = i
    # the metadata lines: Scopes / Granular Scopes / Rate Limit Label
    prose, prereq, in_prereq = [], [], False
    scopes = granular = rate = None
    while i < len(lines):
        text = clean(lines[i]).strip()
        if text in ("Request Body", "Responses"):
            break
        if text.startswith("Scopes:"):
            scopes = [s.strip() for s in text.split(":", 1)[1].split(",") if s.strip()]
        elif text.startswith("Granular Scopes:"):
            granular = [s.strip() for s in text.split(":", 1)[1].split(",") if s.strip()]
        elif text.startswith("Rate Limit Label:"):
            label = text.split(":", 1)[1].strip()
            if label.lower() not in RATE_LABELS:
                raise SeedError(f"{summary}: unknown rate limit label {label}")
            rate = (RATE_LABELS[label.lower()], label)
        elif PREREQ.match(text):
            in_prereq = True
        elif in_prereq and text.startswith("• "):
            prereq.append(text[2:].strip())
        elif text:
            if in_prereq:
                raise SeedError(f"{summary}: prose after prerequisites: {text!r}")
            prose.append(lines[i])
        i += 1
    description = markdown_prose(prose)
    if description:
        op["description"] = description
    key = (method.upper(), path)
    ref = ref_by_key.pop(key, None)
    if ref is None:
        raise SeedError(f"{method.upper()} {path} is not in operations.yaml")
    op["operationId"] = ref["operationId"]
    if scopes:
        op["x-zoom-scopes"] = scopes
    if granular:
        op["x-zoom-granular-scopes"] = granular
    if rate:
        op["x-zoom-rate-limit"] = rate[0]
    if prereq:
        op["x-zoom-prerequisites"] = prereq
    params = [parameter(p, op["operationId"]) for p in ref["parameters"]]
    if params:
        op["parameters"] = params
    stop = ("Status:", "Responses")
    if i < len(lines) and clean(lines[i]).strip() == "Request Body":
        j = i + 1
        while not clean(lines[j]).startswith("Content-Type:"):
            j += 1
        ct, media, i = parse_body(lines, j, stop, f"{method.upper()} {path} request body", one_of_ref)
        op["requestBody"] = OrderedDict(content=OrderedDict([(ct, media)]))
    while clean(lines[i]).strip() != "Responses":
        i += 1
    i += 1
    responses = OrderedDict()
    while i < len(lines):
        text = clean(lines[i]).strip()
        if not text:
            i += 1
            continue
        m = re.match(r"^Status: (\d{3}) ?(.*)$", text)
        if not m:
            raise SeedError(f"{summary}: expected a Status line, got {text!r}")
        status, desc = m.group(1), m.group(2).strip()
        resp = OrderedDict(description=desc)
        codes = parse_error_codes(desc)
        i += 1
        if i < len(lines) and clean(lines[i]).startswith("Content-Type:"):
            ct, media, i = parse_body(lines, i, ("Status:",), f"{method.upper()} {path} response {status}", one_of_ref)
            resp["content"] = OrderedDict([(ct, media)])
        elif int(status) >= 400:
            resp["content"] = OrderedDict([("application/json", OrderedDict(
                schema=OrderedDict([("$ref", ERROR_SCHEMA_REF)])))])
        if codes:
            resp["x-zoom-error-codes"] = codes
        if status in responses:
            raise SeedError(f"{summary}: duplicate status {status}")
        responses[status] = resp
    op["responses"] = responses
    return method, path, op, rate


PARAM_DOCS = {
    "accountId": "The account ID. Pass `me` to address the calling (master) account itself.",
    "channelId": "The survey channel's ID.",
    "custom_query_fields": "A comma-separated list of setting fields to query, to return only those settings.",
    "email": "Filter the subaccounts by the account owner's email address.",
    "feedbackId": "The client feedback's ID.",
    "file_ids": "A comma-separated list of the virtual background file IDs to delete.",
    "from": "The start date of the query range, in `yyyy-MM-dd` format.",
    "to": "The end date of the query range, in `yyyy-MM-dd` format.",
    "group_id": "Return only data for the users in this group.",
    "group_include_participant": "Whether to include the participants of the group in the results.",
    "include_fields": "Additional fields to include in the response.",
    "instance_id": "The survey instance's ID. An ID that begins with `/` or contains `//` must be double URL-encoded.",
    "meetingId": "The meeting's ID or UUID. A UUID that begins with `/` or contains `//` must be double URL-encoded.",
    "memberId": "The ID of the member to unassign from the role.",
    "next_page_token": "The token of the next page of results, from the previous response. A token expires after 15 minutes.",
    "option": "Query this kind of settings instead of the general ones.",
    "page_count": "The number of pages to return.",
    "page_number": "**Deprecated.** The page number of the current page. Use `next_page_token` instead.",
    "page_size": "The number of records returned in a single API call.",
    "participantId": "The participant's ID.",
    "phone_number": "Filter the subaccounts by phone number.",
    "policyId": "The Information Barriers policy's ID.",
    "query_date_type": "Whether `from` and `to` apply to the meetings' start time or end time.",
    "roleId": "The role's ID.",
    "sub_reseller_id": "Return the subaccounts of this sub-reseller.",
    "submit_time_start": "Return the answers submitted at or after this time.",
    "submit_time_end": "Return the answers submitted at or before this time.",
    "surveyId": "The survey's ID.",
    "type": "The type of data to query.",
    "webinarId": "The webinar's ID or UUID. A UUID that begins with `/` or contains `//` must be double URL-encoded.",
    "zoomroomId": "The Zoom Room's ID.",
}


def parameter(ref, operation_id):
    p = OrderedDict()
    p["name"] = ref["name"]
    p["in"] = ref["in"]
    doc = PARAM_DOCS.get(ref["name"])
    if doc is None:
        raise SeedError(f"{operation_id}: no description for parameter {ref['name']}")
    p["description"] = doc
    p["required"] = bool(ref.get("required", False))
    p["schema"] = ref["schema"]
    return p


def main(argv):
    seed_path, ops_path, one_of_path, out_path = argv[1:5]
    lines = open(seed_path, encoding="utf-8").read().split("\n")
    ref_ops = yaml.safe_load(open(ops_path, encoding="utf-8"))
    ref_by_key = {(r["method"].upper(), r["path"]): r for r in ref_ops}
    one_of_ref = {}
    for entry in yaml.safe_load(open(one_of_path, encoding="utf-8")):
        where = entry["where"]
        label = "request body" if where == "request body" else where
        one_of_ref[f"{entry['method'].upper()} {entry['path']} {label}"] = entry["variants"]
    doc = OrderedDict()
    doc["openapi"] = "3.1.1"
    doc["info"] = OrderedDict(
        title=clean(lines[0]).strip(),
        description=clean(lines[5]).strip(),
        version=re.search(r"API Version: (\S+)", clean(lines[3])).group(1),
    )
    doc["servers"] = [OrderedDict(url=re.search(r"URL: (\S+)", clean(lines[9])).group(1))]
    paths = OrderedDict()
    tags = []
    for begin, end in find_ops(lines):
        method, path, op, _ = parse_operation(lines[begin:end], ref_by_key, one_of_ref)
        paths.setdefault(path, OrderedDict())[method] = op
        for t in op["tags"]:
            if t not in tags:
                tags.append(t)
    if ref_by_key:
        raise SeedError(f"reference operations missing from the seed: {sorted(ref_by_key)}")
    doc["tags"] = [OrderedDict(name=t) for t in tags]
    doc["paths"] = paths
    doc["components"] = OrderedDict(schemas=OrderedDict(ZoomError=OrderedDict([
        ("type", "object"),
        ("description", "The body Zoom returns with an error status."),
        ("properties", OrderedDict([
            ("code", OrderedDict(type="integer", description="Zoom's error code.")),
            ("message", OrderedDict(type="string", description="A human-readable description of the error.")),
        ])),
    ])))
    import hoist
    for row in hoist.hoist_shared_shapes(doc):
        print(*row, file=sys.stderr)
    yaml.add_representer(str, lambda d, data: d.represent_scalar(
        "tag:yaml.org,2002:str", data, style="|" if "\n" in data else None))
    yaml.add_representer(OrderedDict, lambda d, data: d.represent_mapping(
        "tag:yaml.org,2002:map", data.items()))
    with open(out_path, "w", encoding="utf-8") as f:
        yaml.dump(json.loads(json.dumps(doc), object_pairs_hook=OrderedDict), f,
                  sort_keys=False, allow_unicode=True, width=100000)


if __name__ == "__main__":
    try:
        main(sys.argv)
    except SeedError as e:
        sys.exit(f"seed2spec: {e}")

#!/usr/bin/env python3
"""Check the CloudTrail schemas in Schemas/.

1. Schemas/ matches scripts/generate-schemas.py (no hand edits, nothing stale),
   and Sources/CTSchema/EmbeddedSchemas.swift matches scripts/embed-schemas.py.
2. Every Schemas/**/*.json schema is valid against the draft 2020-12 metaschema,
   every $ref resolves, every `properties` member outside the digest carries
   `x-since`, and only keywords the in-house engine implements are used.
3. Every CloudTrail record found under the record corpus (default
   ../shared/corpus/records next to the repository, or $CT_RECORD_CORPUS) is
   validated against the schema of its own eventVersion. Records whose failure
   is known and explained (synthetic or placeholder data) are listed in
   EXPECTED_FAILURES and counted separately.

Exit status: 1 if any schema is invalid or stale; with --strict also 1 when a
record fails that is not an expected failure. Otherwise 0.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

try:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
except ImportError as error:  # pragma: no cover - environment problem
    print("check-schemas: %s; install with: python3 -m pip install jsonschema referencing "
          "rfc3339-validator" % error)
    sys.exit(2)
try:
    import rfc3339_validator  # noqa: F401  (jsonschema checks format date-time only with it)
except ImportError:
    print("check-schemas: warning: rfc3339-validator is not installed; "
          "format date-time is not checked")

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "Schemas"

# Keywords the in-house engine implements (validation + annotations).
ENGINE_KEYWORDS = {
    "type", "enum", "const", "required", "properties", "additionalProperties",
    "patternProperties", "pattern", "minLength", "maxLength", "minimum", "maximum",
    "items", "prefixItems", "minItems", "maxItems", "uniqueItems", "allOf", "anyOf",
    "oneOf", "not", "if", "then", "else", "$ref", "$defs", "$id", "dependentRequired",
    "format", "title", "description", "x-since", "$schema", "$comment", "examples",
}
ENGINE_FORMATS = {"date-time", "ipv4", "ipv6", "uuid"}

# Corpus records that fail for a known, legitimate reason: file (relative to the
# corpus) -> why. A file listed here may hold both passing and failing records.
EXPECTED_FAILURES = {
    # Whole folders (key ends with "/").
    "panther-labs__panther-analysis/":
        "Panther rule tests: hand-written or Panther-normalized events (eventTime as "
        "'YYYY-MM-DD HH:MM:SS[.fff]', lower-cased keys, YAML booleans, placeholder IDs "
        "such as '1', '1111', '12345', 'ASIA-MOCKACCESSKEYID-1', trimmed records)",
    "aws__aws-cloudtrail-processing-library/":
        "2014 parser test data with placeholder values (userIdentityType1, "
        "userIdentityAccountId1, eventVersion 1.1 ... 1.6)",
    "airbnb__streamalert/":
        "rule test cases whose values are replaced by '...' or 12345",
    "fivexl__terraform-aws-cloudtrail-to-slack/":
        "test events with XXXXXXXX placeholders for account IDs and ARNs",
    # Single files.
    "DataDog__stratus-red-team/aws.lateral-movement.ec2-serial-console-send-ssh-public-key.json":
        "anonymizer merged the SSO role name and session name of the assumed-role ARN "
        "(no '/' between them)",
    "SnellerInc__sneller/ex3.json": "AWS doc sample: accessKeyId EXAMPLE_KEY_ID",
    "SnellerInc__sneller/ex4.json": "AWS doc sample: accessKeyId EXAMPLE_KEY_ID",
    "SnellerInc__sneller/ex6.json": "AWS doc sample: accessKeyId EXAMPLE_KEY_ID",
    "boogy__CloudTrail-Log-Parser/AddUserToGroup.json": "AWS doc sample: EXAMPLE inside eventID",
    "boogy__CloudTrail-Log-Parser/CreateRole.json": "AWS doc sample: EXAMPLE inside eventID",
    "boogy__CloudTrail-Log-Parser/create-key-pair.json": "AWS doc sample: EXAMPLE inside eventID",
    "cloud-custodian__cloud-custodian/event-cloud-trail-create-db.json":
        "synthetic: malformed ARN 'arn:aws::sts:101010101111:...' and accessKeyId 'notasecret'",
    "flosell__trailscraper/events-for-smoke-test.json":
        "smoke-test events: EXAMPLE inside eventIDs, eventID '12345', "
        "eventTime 'YYYY-MM-DD HH:MM:SS'",
}


def expected_reason(rel):
    for key, reason in EXPECTED_FAILURES.items():
        if rel == key or (key.endswith("/") and rel.startswith(key)):
            return reason
    return None


VERBOSE = False

# Built-in cases: (description, schema file, instance, should_pass).
def _api_call(**changes):
    record = {
        "eventVersion": "1.08",
        "userIdentity": {"type": "IAMUser", "principalId": "AIDAJQABLZS4A3QDU576Q",
                         "arn": "arn:aws:iam::123456789012:user/alice", "accountId": "123456789012",
                         "accessKeyId": "AKIAIOSFODNN7EXAMPL1", "userName": "alice"},
        "eventTime": "2024-05-01T12:00:00Z", "eventSource": "iam.amazonaws.com",
        "eventName": "ListUsers", "awsRegion": "us-east-1", "sourceIPAddress": "192.0.2.1",
        "userAgent": "aws-cli/2.15.0", "requestParameters": None, "responseElements": None,
        "requestID": "6a1f6c3e-0e43-4c43-9b0c-2f0f1d2a7e11",
        "eventID": "0b0c7c7e-1f7a-4c2b-8f3f-6d1d0f6f0e21", "readOnly": True,
        "eventType": "AwsApiCall", "managementEvent": True, "recipientAccountId": "123456789012",
        "eventCategory": "Management",
    }
    for key, value in changes.items():
        if value is _DROP:
            record.pop(key, None)
        else:
            record[key] = value
    return record


_DROP = object()
_UUID = "7bb0007d-22b3-4c03-94af-c74f00c8e7c0"
_INSIGHT = {
    "eventVersion": "1.07", "eventTime": "2024-05-01T12:00:00Z", "awsRegion": "us-east-1",
    "eventID": "abcd00b0-ccfe-422d-961c-98a2198a4080", "eventType": "AwsCloudTrailInsight",
    "recipientAccountId": "123456789012", "sharedEventID": _UUID, "eventCategory": "Insight",
    "insightDetails": {
        "state": "Start", "eventSource": "autoscaling.amazonaws.com",
        "eventName": "CompleteLifecycleAction", "insightType": "ApiCallRateInsight",
        "insightContext": {
            "statistics": {"baseline": {"average": 9.82222e-5}, "insight": {"average": 0.6},
                           "insightDuration": 5, "baselineDuration": 11336},
            "attributions": [{"attribute": "userIdentityArn",
                              "insight": [{"value": "arn:aws:sts::123456789012:assumed-role/R", "average": 0.2}],
                              "baseline": [{"value": "arn:aws:sts::123456789012:assumed-role/R", "average": 0.1}]},
                             {"attribute": "errorCode", "insight": [{"value": "null", "average": 0.6}],
                              "baseline": []}]}}}
_AGGREGATED = {
    "eventVersion": "1.0", "accountId": "123456789012", "eventId": _UUID,
    "eventCategory": "Aggregated", "eventType": "AwsAggregatedEvent", "awsRegion": "us-east-1",
    "eventSource": "s3.amazonaws.com",
    "timeWindow": {"windowStart": "2024-05-01T12:00:00Z", "windowEnd": "2024-05-01T12:05:00Z",
                   "windowSize": "PT5M"},
    "summary": {"primaryDimension": {"dimension": "eventName",
                                     "statistics": [{"name": "GetObject", "value": 42}],
                                     "aggregationType": "Count"},
                "details": [{"dimension": "userIdentity",
                             "statistics": [{"name": "arn:aws:iam::123456789012:user/alice", "value": 42}],
                             "aggregationType": "Count"}]}}
_DIGEST = {
    "awsAccountId": "123456789012", "digestStartTime": "2024-05-01T11:00:00Z",
    "digestEndTime": "2024-05-01T12:00:00Z", "digestS3Bucket": "trail-bucket",
    "digestS3Object": "AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2024/05/01/x.json.gz",
    "digestPublicKeyFingerprint": "0123456789abcdef0123456789abcdef",
    "digestSignatureAlgorithm": "SHA256withRSA", "newestEventTime": None, "oldestEventTime": None,
    "previousDigestS3Bucket": None, "previousDigestS3Object": None,
    "previousDigestHashValue": None, "previousDigestHashAlgorithm": None,
    "previousDigestSignature": None, "logFiles": []}
_SIGNIN = _api_call(eventSource="signin.amazonaws.com", eventName="ConsoleLogin",
                    eventType="AwsConsoleSignIn", requestID=_DROP, readOnly=_DROP,
                    responseElements={"ConsoleLogin": "Success"},
                    additionalEventData={"MFAUsed": "Yes"})
_NETWORK = _api_call(eventVersion="1.09", eventType="AwsVpceEvent", eventCategory="NetworkActivity",
                     userAgent=_DROP, requestParameters=_DROP, responseElements=_DROP,
                     readOnly=_DROP, managementEvent=_DROP, sharedEventID=_UUID,
                     vpcEndpointId="vpce-0123456789abcdef0", vpcEndpointAccountId="123456789012",
                     errorCode="VpceAccessDenied")
_SERVICE = _api_call(eventVersion="1.05", eventType="AwsServiceEvent", eventCategory=_DROP,
                     managementEvent=_DROP, requestID=_DROP,
                     userIdentity={"accountId": "123456789012", "invokedBy": "AWS Internal"},
                     sourceIPAddress="AWS Internal", serviceEventDetails={"state": "SUCCEEDED"})
_ROLE = {"type": "AssumedRole", "principalId": "AROAEXAMPLEROLEID1234:alice",
         "arn": "arn:aws:sts::123456789012:assumed-role/Admin/alice", "accountId": "123456789012",
         "accessKeyId": "", "sessionContext": {"sessionIssuer": {}, "webIdFederationData": {},
                                               "attributes": {"creationDate": "20131102T010628Z",
                                                              "mfaAuthenticated": "false"}}}

CASES = [
    ("1.08 management API call", "cloudtrail-1.08.schema.json", _api_call(), True),
    ("eventTime with fractional seconds", "cloudtrail-1.08.schema.json",
     _api_call(eventTime="2024-05-01T12:00:00.123Z"), False),
    ("eventTime with offset", "cloudtrail-1.08.schema.json",
     _api_call(eventTime="2024-05-01T12:00:00+00:00"), False),
    ("eventID not a UUID", "cloudtrail-1.08.schema.json", _api_call(eventID="EXAMPLE"), False),
    ("API call without requestID", "cloudtrail-1.08.schema.json", _api_call(requestID=_DROP), False),
    ("API call without userAgent", "cloudtrail-1.08.schema.json",
     _api_call(userAgent=_DROP), True),
    ("API call without recipientAccountId", "cloudtrail-1.08.schema.json",
     _api_call(recipientAccountId=_DROP), False),
    ("1.08 record without eventCategory", "cloudtrail-1.08.schema.json",
     _api_call(eventCategory=_DROP), False),
    ("1.06 record without eventCategory", "cloudtrail-1.06.schema.json",
     _api_call(eventVersion="1.06", eventCategory=_DROP), True),
    ("1.0 record without eventID, requestID, eventType", "cloudtrail-1.0.schema.json",
     _api_call(eventVersion="1.0", eventID=_DROP, requestID=_DROP, eventType=_DROP,
               recipientAccountId=_DROP, eventCategory=_DROP, managementEvent=_DROP), True),
    ("1.02 ConsoleLogin typed AwsApiCall without requestID", "cloudtrail-1.02.schema.json",
     dict(((k, v) for k, v in _SIGNIN.items() if k not in ("eventCategory", "managementEvent")),
          eventVersion="1.02", eventType="AwsApiCall"), True),
    ("readOnly as a string", "cloudtrail-1.08.schema.json", _api_call(readOnly="true"), False),
    ("recipientAccountId of 11 digits", "cloudtrail-1.08.schema.json",
     _api_call(recipientAccountId="12345678901"), False),
    ("additionalEventData note string", "cloudtrail-1.08.schema.json",
     _api_call(additionalEventData="Personally-identifying contact information is not logged"), True),
    ("console sign-in without requestID", "cloudtrail-1.08.schema.json", _SIGNIN, True),
    ("console sign-in spelled AwsConsoleSignin", "cloudtrail-1.08.schema.json",
     dict(_SIGNIN, eventType="AwsConsoleSignin"), True),
    ("failed IAM user sign-in without arn", "cloudtrail-1.08.schema.json",
     dict(_SIGNIN, errorMessage="Failed authentication",
          userIdentity={"type": "IAMUser", "accountId": "123456789012", "accessKeyId": "",
                        "userName": "HIDDEN_DUE_TO_SECURITY_REASONS"}), True),
    ("network activity without userAgent", "cloudtrail-1.09.schema.json", _NETWORK, True),
    ("network activity without vpcEndpointId", "cloudtrail-1.09.schema.json",
     dict((k, v) for k, v in _NETWORK.items() if k != "vpcEndpointId"), False),
    ("service event with untyped userIdentity", "cloudtrail-1.05.schema.json", _SERVICE, True),
    ("Insights record", "cloudtrail-1.07.schema.json", _INSIGHT, True),
    ("Insights record without insightDetails", "cloudtrail-1.07.schema.json",
     dict((k, v) for k, v in _INSIGHT.items() if k != "insightDetails"), False),
    ("Insights eventType in a 1.05 record", "cloudtrail-1.05.schema.json",
     dict(_INSIGHT, eventVersion="1.05"), False),
    ("aggregated event", "cloudtrail-1.0.schema.json", _AGGREGATED, True),
    ("aggregated event without summary", "cloudtrail-aggregated.schema.json",
     dict((k, v) for k, v in _AGGREGATED.items() if k != "summary"), False),
    ("assumed role with empty issuer, basic creationDate", "cloudtrail-1.08.schema.json",
     _api_call(userIdentity=_ROLE), True),
    ("assumed-role ARN without session name", "cloudtrail-1.08.schema.json",
     _api_call(userIdentity=dict(_ROLE, arn="arn:aws:sts::123456789012:assumed-role/Admin")), False),
    ("IAM user with an assumed-role ARN", "cloudtrail-1.08.schema.json",
     _api_call(userIdentity={"type": "IAMUser", "accountId": "123456789012",
                             "arn": "arn:aws:sts::123456789012:assumed-role/Admin/alice"}), False),
    ("unknown userIdentity type", "cloudtrail-1.08.schema.json",
     _api_call(userIdentity={"type": "Bogus"}), False),
    ("type Unknown alone", "cloudtrail-1.08.schema.json", _api_call(userIdentity={"type": "Unknown"}), True),
    ("anonymous S3 caller", "cloudtrail-1.08.schema.json",
     _api_call(userIdentity={"type": "AWSAccount", "principalId": "", "accountId": "anonymous"}), True),
    ("mfaAuthenticated True (any case)", "cloudtrail-1.08.schema.json",
     _api_call(userIdentity=dict(_ROLE, sessionContext={"attributes": {"mfaAuthenticated": "True"}})), True),
    ("mfaAuthenticated boolean", "cloudtrail-1.08.schema.json",
     _api_call(userIdentity=dict(_ROLE, sessionContext={"attributes": {"mfaAuthenticated": True}})), False),
    ("S3 object resource with ARNPrefix and redacted owner", "cloudtrail-1.08.schema.json",
     _api_call(resources=[{"type": "AWS::S3::Object", "ARNPrefix": "arn:aws:s3:::bucket/"},
                          {"type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::bucket", "accountId": ""}]),
     True),
    ("addendum with unknown reason", "cloudtrail-1.08.schema.json",
     _api_call(addendum={"reason": "LATE"}), False),
    ("log file envelope of mixed versions", "cloudtrail-log-file.schema.json",
     {"Records": [_api_call(), _SIGNIN, _INSIGHT, _AGGREGATED, _NETWORK]}, True),
    ("log file envelope with a broken record", "cloudtrail-log-file.schema.json",
     {"Records": [_api_call(eventTime="yesterday")]}, False),
    ("starting digest with nulls", "cloudtrail-digest.schema.json", _DIGEST, True),
    ("digest with a short hash", "cloudtrail-digest.schema.json",
     dict(_DIGEST, logFiles=[{"s3Bucket": "b", "s3Object": "o", "hashValue": "abc",
                              "hashAlgorithm": "SHA-256"}]), False),
]


def run_cases(docs, registry):
    """Run CASES; return a list of failure messages."""
    base = docs["index.json"]["baseURI"]
    failures = []
    for description, name, instance, should_pass in CASES:
        if should_pass is None:
            continue
        validator = Draft202012Validator({"$ref": base + name}, registry=registry,
                                         format_checker=Draft202012Validator.FORMAT_CHECKER)
        errors = list(validator.iter_errors(instance))
        if should_pass and errors:
            failures.append("%s: expected to pass, got %s" % (description, errors[0].message))
        elif not should_pass and not errors:
            failures.append("%s: expected to fail, passed" % description)
        elif VERBOSE and not should_pass:
            print("  case %r fails as expected: %s" % (description, errors[0].message[:150]))
    # Triage: a wrong AssumedRole ARN reports errors from the AssumedRole branch only.
    validator = Draft202012Validator({"$ref": base + "defs/user-identity.schema.json"},
                                     registry=registry)
    bad = dict(_ROLE, arn="arn:aws:iam::123456789012:user/alice")
    places = sorted({"/".join(str(p) for p in e.absolute_path) for e in validator.iter_errors(bad)})
    if places != ["arn"]:
        failures.append("userIdentity triage: expected one error at arn, got %r" % places)
    return failures


def load_schemas():
    docs = {}
    for path in sorted(SCHEMAS.rglob("*.json")):
        rel = path.relative_to(SCHEMAS).as_posix()
        docs[rel] = json.loads(path.read_text(encoding="utf-8"))
    return docs


def walk_schema(node, path, problems, in_digest, in_condition=False):
    """Check keywords, formats and x-since throughout one schema document.

    `properties` inside an `if` are conditions, not declarations: they need no x-since.
    """
    if isinstance(node, bool) or not isinstance(node, dict):
        return
    for key in node:
        if key not in ENGINE_KEYWORDS:
            problems.append("%s: keyword %r is not implemented by the engine" % (path, key))
    if "format" in node and node["format"] not in ENGINE_FORMATS:
        problems.append("%s: format %r is not implemented by the engine" % (path, node["format"]))
    for key, value in node.items():
        here = path + "/" + key
        if key in ("properties", "patternProperties", "$defs"):
            for name, sub in value.items():
                if key == "properties" and not in_digest and not in_condition \
                        and isinstance(sub, dict) and "x-since" not in sub:
                    problems.append("%s/%s: property has no x-since" % (here, name))
                walk_schema(sub, here + "/" + name, problems, in_digest, in_condition)
        elif key in ("items", "not", "then", "else", "additionalProperties"):
            walk_schema(value, here, problems, in_digest, in_condition)
        elif key == "if":
            walk_schema(value, here, problems, in_digest, True)
        elif key in ("allOf", "anyOf", "oneOf", "prefixItems"):
            for i, sub in enumerate(value):
                walk_schema(sub, "%s/%d" % (here, i), problems, in_digest, in_condition)


def check_schemas(docs):
    problems = []
    gen = subprocess.run([sys.executable, str(REPO / "scripts" / "generate-schemas.py"), "--check"],
                         capture_output=True, text=True)
    if gen.returncode != 0:
        problems.append("Schemas/ is out of date with scripts/generate-schemas.py:\n"
                        + gen.stdout + gen.stderr)
    embed = subprocess.run([sys.executable, str(REPO / "scripts" / "embed-schemas.py"), "--check"],
                           capture_output=True, text=True)
    if embed.returncode != 0:
        problems.append("Sources/CTSchema/EmbeddedSchemas.swift is out of date:\n"
                        + embed.stdout + embed.stderr)
    resources = []
    for rel, doc in docs.items():
        if rel == "index.json":
            continue
        try:
            Draft202012Validator.check_schema(doc)
        except Exception as error:  # jsonschema.SchemaError
            problems.append("%s: invalid against the 2020-12 metaschema: %s" % (rel, error.message))
            continue
        expected_id = docs["index.json"]["baseURI"] + rel
        if doc.get("$id") != expected_id:
            problems.append("%s: $id is %r, expected %r" % (rel, doc.get("$id"), expected_id))
        # The digest's and the configuration file's properties are not CloudTrail record fields: no x-since.
        walk_schema(doc, rel + "#", problems,
                    in_digest=(rel in ("cloudtrail-digest.schema.json", "cloudtrail-lint-config.schema.json")))
        resources.append((expected_id, Resource.from_contents(doc, default_specification=DRAFT202012)))
    registry = Registry().with_resources(resources)
    # Every $ref must resolve.
    for rel, doc in docs.items():
        if rel == "index.json":
            continue
        resolver = registry.resolver(base_uri=doc["$id"])
        for ref in collect_refs(doc):
            try:
                resolver.lookup(ref)
            except Exception as error:
                problems.append("%s: $ref %r does not resolve: %s" % (rel, ref, error))
    index = docs["index.json"]
    for version, name in index["versions"].items():
        if name not in docs:
            problems.append("index.json: version %s names missing file %s" % (version, name))
    for name in index["shared"]:
        if name not in docs:
            problems.append("index.json: shared file %s is missing" % name)
    return problems, registry


def collect_refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from collect_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from collect_refs(value)


def looks_like_record(obj):
    return isinstance(obj, dict) and "eventName" in obj and "eventSource" in obj \
        and ("eventVersion" in obj or "userIdentity" in obj or "eventTime" in obj)


def find_records(data):
    """Yield (json-pointer, record) for CloudTrail records in a parsed file.

    Understands {"Records": [...]}, top-level arrays, single records, and records
    nested in wrappers such as EventBridge envelopes (`detail`) or test cases.
    """
    def walk(node, pointer):
        if isinstance(node, list):
            for i, item in enumerate(node):
                yield from walk(item, "%s/%d" % (pointer, i))
        elif isinstance(node, dict):
            if isinstance(node.get("Records"), list):
                yield from walk(node["Records"], pointer + "/Records")
            elif looks_like_record(node) or node.get("eventType") == "AwsCloudTrailInsight" \
                    or node.get("eventType") == "AwsAggregatedEvent":
                yield pointer, node
            else:
                for key, value in node.items():
                    if isinstance(value, (dict, list)):
                        yield from walk(value, pointer + "/" + key.replace("~", "~0").replace("/", "~1"))
    yield from walk(data, "")


def canonical_version(value, known):
    """Map an eventVersion string to a schema version ("1.1" -> "1.01"), or None."""
    if not isinstance(value, str):
        return None
    if value in known:
        return value
    parts = value.split(".")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    major, minor = int(parts[0]), int(parts[1])
    for version in known:
        vmajor, vminor = (int(p) for p in version.split("."))
        if (vmajor, vminor) == (major, minor):
            return version
    return None


def check_corpus(docs, registry, corpus):
    index = docs["index.json"]
    base = index["baseURI"]
    validators = {}

    def validator_for(name):
        if name not in validators:
            validators[name] = Draft202012Validator(
                {"$ref": base + name}, registry=registry,
                format_checker=Draft202012Validator.FORMAT_CHECKER)
        return validators[name]

    counts = {"files": 0, "skipped_files": 0, "records": 0, "passed": 0,
              "failed": 0, "expected": 0, "no_schema": 0}
    unexpected, expected, no_schema, skipped = [], [], [], []
    kinds = {}
    for path in sorted(corpus.rglob("*.json")):
        rel = path.relative_to(corpus).as_posix()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as error:
            skipped.append("%s: not JSON (%s)" % (rel, error))
            counts["skipped_files"] += 1
            continue
        records = list(find_records(data))
        if not records:
            skipped.append("%s: no CloudTrail records" % rel)
            counts["skipped_files"] += 1
            continue
        counts["files"] += 1
        for pointer, record in records:
            if record.get("eventType") == "AwsAggregatedEvent":
                name = index["routes"]["eventType"]["AwsAggregatedEvent"]
            else:
                version = canonical_version(record.get("eventVersion"), index["versions"])
                if version is None:
                    counts["no_schema"] += 1
                    no_schema.append("%s#%s: eventVersion %r" % (rel, pointer, record.get("eventVersion")))
                    continue
                name = index["versions"][version]
            counts["records"] += 1
            errors = sorted(validator_for(name).iter_errors(record), key=lambda e: list(e.absolute_path))
            if not errors:
                counts["passed"] += 1
                continue
            lines = ["%s#%s (%s):" % (rel, pointer, name)]
            for error in errors[:6]:
                where = "/" + "/".join(str(p) for p in error.absolute_path)
                lines.append("    %s: %s" % (where, error.message[:200]))
            reason = expected_reason(rel)
            if reason is not None:
                counts["expected"] += 1
                expected.append("\n".join([lines[0] + " [" + reason + "]"] + lines[1:]))
                for error in errors:
                    kinds[error.validator + " " + schema_place(error)] = \
                        kinds.get(error.validator + " " + schema_place(error), 0) + 1
            else:
                counts["failed"] += 1
                unexpected.append("\n".join(lines))
    return counts, unexpected, expected, no_schema, skipped, kinds


def schema_place(error):
    """Where in the instance a failing keyword applies, with array indexes dropped."""
    parts = [str(p) for p in error.absolute_path if not isinstance(p, int)]
    if error.validator == "required":
        parts.append(error.message.split("'")[1] if "'" in error.message else "?")
    return "/" + "/".join(parts)


def main(argv):
    strict = "--strict" in argv
    verbose = "--verbose" in argv or "-v" in argv
    global VERBOSE
    VERBOSE = verbose
    docs = load_schemas()
    problems, registry = check_schemas(docs)
    print("schemas: %d files checked, %d problems" % (len(docs), len(problems)))
    for problem in problems:
        print("  SCHEMA PROBLEM: " + problem)
    case_failures = run_cases(docs, registry) if not problems else []
    print("cases: %d built-in cases, %d failed" % (
        sum(1 for case in CASES if case[3] is not None) + 1, len(case_failures)))
    for failure in case_failures:
        print("  CASE FAILED: " + failure)

    corpus = Path(os.environ.get("CT_RECORD_CORPUS", REPO.parent / "shared" / "corpus" / "records"))
    if not corpus.is_dir():
        for candidate in (Path("/work/shared/corpus/records"),):
            if candidate.is_dir():
                corpus = candidate
    exit_code = 1 if problems or case_failures else 0
    if not corpus.is_dir():
        print("records: corpus folder %s not found; record check skipped" % corpus)
        return exit_code
    counts, unexpected, expected, no_schema, skipped, kinds = check_corpus(docs, registry, corpus)
    print("records: %(records)d checked in %(files)d files, %(passed)d passed, "
          "%(failed)d failed unexpectedly, %(expected)d failed as expected; "
          "%(no_schema)d without a schema for their eventVersion; "
          "%(skipped_files)d files skipped" % counts)
    for entry in unexpected:
        print("  FAIL " + entry)
    if kinds:
        print("  errors in expected failures, by keyword and place:")
        for kind, count in sorted(kinds.items(), key=lambda item: (-item[1], item[0])):
            print("    %4d  %s" % (count, kind))
    if verbose:
        for entry in expected:
            print("  expected failure: " + entry)
        for entry in no_schema:
            print("  no schema: " + entry)
        for entry in skipped:
            print("  skipped: " + entry)
    if strict and unexpected:
        exit_code = 1
    return exit_code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

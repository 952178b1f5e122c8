#!/usr/bin/env python3
"""Signed CloudTrail bucket copies (logs + digests) for testing `cloudtrail-lint verify`.

usage:
  scripts/make-signed-bucket.py OUT [--seed N] [--tamper CASE] [--manifest FILE] [--keys DIR]
  scripts/make-signed-bucket.py --all DIR [--seed N]        # DIR/clean and DIR/<case> for every case
  scripts/make-signed-bucket.py --verify-with-openssl OUT [--expect MANIFEST]

Python 3 stdlib + the `openssl` command line. Deterministic for a seed (gzip mtime=0, RSA PKCS#1 v1.5).
Keys: Fixtures/verify/keys/test-key-1.pem signs, test-key-2.pem is the wrong key (TEST-ONLY keys).

Layout of OUT (the bucket root is OUT/bucket/, bucket name amzn-s3-demo-bucket, so a path relative
to OUT/bucket is the S3 key):
  OUT/public-keys.json   `aws cloudtrail list-public-keys` form: {"PublicKeyList": [{Value (base64 DER
                         PKCS#1 RSAPublicKey), ValidityStartTime, ValidityEndTime, Fingerprint (MD5 of DER)}]}
  OUT/signatures.json    {object key: hex signature} = `head-object ... Metadata.signature` per digest
  OUT/bucket/audit/AWSLogs/o-exampleorgid/111122223333/CloudTrail/<region>/2024/03/14/
      111122223333_CloudTrail_<region>_20240314THHmmZ_<16 chars>.json.gz
  OUT/bucket/audit/AWSLogs/o-exampleorgid/111122223333/CloudTrail-Digest/<region>/2024/03/14/
      111122223333_CloudTrail-Digest_<region>_org-trail_us-east-1_20240314THH0000Z.json.gz  (+ .sig sidecar)
      ..._20240314T010000Z_backfill.json.gz                                               (+ .sig sidecar)
Regions us-east-1 and us-west-2; per region 4 hourly digests 00:00-01:00 ... 03:00-04:00 (the first a
starting digest), two logs per hour except one empty hour (us-east-1 03:00, us-west-2 02:00), and a
backfill digest (previous* null) listing one extra log of hour 00.

Tamper cases (expected findings in the manifest; paths relative to OUT/bucket):
  log-edited log-deleted log-added log-renamed digest-edited digest-deleted digest-moved chain-restart
  signature-swapped wrong-key key-expired previous-signature-null truncated-gz signature-missing
Manifest: {"case", "seed", "expected": [finding], "optional": [finding], "notes"}, finding = {"rule", "file"} plus
"digest" (log rules), "missing" (digest-missing) or "previous" (digest-modified); see Fixtures/verify/README.md.
--verify-with-openssl re-derives the findings on its own (hashlib; `openssl dgst -verify` with the PEM made from
public-keys.json) and, with --expect, compares them with a manifest.
"""
import argparse, base64, datetime as dt, gzip, hashlib, json, random, re, shutil, subprocess, sys, tempfile
from pathlib import Path

BUCKET, PREFIX, ORG, ACCT = "amzn-s3-demo-bucket", "audit", "o-exampleorgid", "111122223333"
TRAIL, HOME, REGIONS, HOURS = "org-trail", "us-east-1", ("us-east-1", "us-west-2"), 4
EMPTY_HOUR = {"us-east-1": 3, "us-west-2": 2}
T0 = dt.datetime(2024, 3, 14, tzinfo=dt.timezone.utc)
KEYS = Path(__file__).resolve().parent.parent / "Fixtures" / "verify" / "keys"
CASES = ["log-edited", "log-deleted", "log-added", "log-renamed", "digest-edited", "digest-deleted",
         "digest-moved", "chain-restart", "signature-swapped", "wrong-key", "key-expired",
         "previous-signature-null", "truncated-gz", "signature-missing"]
DIGEST_RE = re.compile(r"^(?:(?P<prefix>.+)/)?AWSLogs/(?:(?P<org>o-[a-z0-9]{10,32})/)?(?P<acct>\d{12})/"
                       r"CloudTrail-Digest/(?P<region>[a-z0-9-]+)/\d{4}/\d\d/\d\d/(?P=acct)_CloudTrail-Digest_"
                       r"(?P=region)_(?P<trail>.+)_(?P<home>[a-z0-9-]+)_\d{8}T\d{6}Z(?P<backfill>_backfill)?"
                       r"\.json\.gz$")
LOG_RE = re.compile(r"^(?:(?P<prefix>.+)/)?AWSLogs/(?:(?P<org>o-[a-z0-9]{10,32})/)?(?P<acct>\d{12})/"
                    r"CloudTrail/(?P<region>[a-z0-9-]+)/\d{4}/\d\d/\d\d/(?P=acct)_CloudTrail_(?P=region)_"
                    r"(?P<ts>\d{8}T\d{4}Z)_[A-Za-z0-9]{16}\.json\.gz$")


def iso(t): return t.strftime("%Y-%m-%dT%H:%M:%SZ")
def parse_time(s): return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
def sha256(b): return hashlib.sha256(b).hexdigest()
def compact(obj): return json.dumps(obj, separators=(",", ":")).encode()
def base_key(kind, region): return f"{PREFIX}/AWSLogs/{ORG}/{ACCT}/{kind}/{region}"


def log_key(region, t, unique):
    return f"{base_key('CloudTrail', region)}/{t:%Y/%m/%d}/{ACCT}_CloudTrail_{region}_{t:%Y%m%dT%H%MZ}_{unique}.json.gz"


def digest_key(region, end, backfill=False):
    return (f"{base_key('CloudTrail-Digest', region)}/{end:%Y/%m/%d}/{ACCT}_CloudTrail-Digest_{region}_{TRAIL}_"
            f"{HOME}_{end:%Y%m%dT%H%M%SZ}{'_backfill' if backfill else ''}.json.gz")


def sign(key_pem, message):
    out = subprocess.run(["openssl", "dgst", "-sha256", "-sign", str(key_pem)], input=message,
                         capture_output=True, check=True).stdout
    return out.hex()


def string_to_sign(d, raw):
    prev = d["previousDigestSignature"] if d["previousDigestSignature"] is not None else "null"
    return f"{d['digestEndTime']}\n{d['digestS3Bucket']}/{d['digestS3Object']}\n{sha256(raw)}\n{prev}".encode()


class Bucket:
    """A local bucket copy: OUT/bucket/<key>, signatures (json + sidecars), public keys."""

    def __init__(self, out, keys):
        self.out, self.root, self.keys, self.sigs = Path(out), Path(out) / "bucket", Path(keys), {}
        self.validity = ("2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z")
        self.der = (self.keys / "test-key-1.pub.der").read_bytes()
        self.fingerprint = hashlib.md5(self.der).hexdigest()

    def put(self, key, raw):
        p = self.root / key
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(gzip.compress(raw, mtime=0))

    def read(self, key): return gzip.decompress((self.root / key).read_bytes())

    def set_sig(self, key, sig):
        self.sigs[key] = sig
        (self.root / (key + ".sig")).write_text(sig + "\n")

    def drop_sig(self, key):
        self.sigs.pop(key, None)
        (self.root / (key + ".sig")).unlink()

    def write_meta(self):
        pk = {"Value": base64.b64encode(self.der).decode(), "ValidityStartTime": self.validity[0],
              "ValidityEndTime": self.validity[1], "Fingerprint": self.fingerprint}
        (self.out / "public-keys.json").write_text(json.dumps({"PublicKeyList": [pk]}, indent=2) + "\n")
        (self.out / "signatures.json").write_text(json.dumps(self.sigs, indent=2, sort_keys=True) + "\n")


USERS = [
    {"type": "AssumedRole", "principalId": "AROAZCE4NCJLWEXAMPLE1:alice",
     "arn": f"arn:aws:sts::{ACCT}:assumed-role/Admin/alice", "accountId": ACCT,
     "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROAZCE4NCJLWEXAMPLE1",
                                          "arn": f"arn:aws:iam::{ACCT}:role/Admin", "accountId": ACCT,
                                          "userName": "Admin"},
                        "attributes": {"creationDate": "2024-03-13T23:41:07Z", "mfaAuthenticated": "true"}}},
    {"type": "IAMUser", "principalId": "AIDAZCE4NCJLWEXAMPLE2", "arn": f"arn:aws:iam::{ACCT}:user/ci-deployer",
     "accountId": ACCT, "userName": "ci-deployer"}]
CALLS = [("ec2.amazonaws.com", "DescribeInstances", lambda r: {"instancesSet": {}, "filterSet": {}}),
         ("s3.amazonaws.com", "ListBuckets", lambda r: {"Host": f"s3.{r}.amazonaws.com"}),
         ("kms.amazonaws.com", "DescribeKey", lambda r: {"keyId": "alias/app-data"}),
         ("ssm.amazonaws.com", "GetParameter", lambda r: {"name": "/app/prod/db-host", "withDecryption": False}),
         ("lambda.amazonaws.com", "ListFunctions20150331", lambda r: {"maxItems": 50}),
         ("ec2.amazonaws.com", "DescribeSecurityGroups", lambda r: {"securityGroupIdSet": {}, "filterSet": {}})]


def uid(rng): return "%08x-%04x-4%03x-%04x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12),
                                                      0x8000 | rng.getrandbits(14), rng.getrandbits(48))


def make_log(rng, region, start, delivered):
    """2-5 records with eventTime in [start, delivered); returns (key, raw bytes, oldest, newest)."""
    records, span = [], int((delivered - start).total_seconds()) - 60
    for _ in range(rng.randint(2, 5)):
        user = dict(rng.choice(USERS))
        prefix = "ASIA" if user["type"] == "AssumedRole" else "AKIA"
        user["accessKeyId"] = prefix + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
        source, name, params = rng.choice(CALLS)
        records.append({
            "eventVersion": "1.09", "userIdentity": user,
            "eventTime": iso(start + dt.timedelta(seconds=rng.randint(0, span))),
            "eventSource": source, "eventName": name, "awsRegion": region,
            "sourceIPAddress": f"{rng.choice(['192.0.2', '198.51.100', '203.0.113'])}.{rng.randint(1, 254)}",
            "userAgent": rng.choice(["aws-cli/2.15.30 md/Botocore#1.34.62 ua/2.0 os/linux#6.5.0 md/arch#x86_64",
                                     "Boto3/1.34.62 md/Botocore#1.34.62 ua/2.0 os/linux#6.1.79 lang/python#3.12.2"]),
            "requestParameters": params(region), "responseElements": None,
            "requestID": uid(rng), "eventID": uid(rng), "readOnly": True, "eventType": "AwsApiCall",
            "managementEvent": True, "recipientAccountId": ACCT, "eventCategory": "Management",
            "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                           "clientProvidedHostHeader": source.split(".")[0] + f".{region}.amazonaws.com"}})
    times = sorted(r["eventTime"] for r in records)
    unique = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(16))
    return log_key(region, delivered, unique), compact({"Records": records}), times[0], times[-1]


def build(out, seed, keys, restart=None, signing_key="test-key-1.pem"):
    """Writes a clean copy; returns (Bucket, model). model[region] = {"hourly": [digest...], "backfill": digest};
    a digest is {"key", "data", "raw", "logs": [log keys]}. restart=(region, hour) starts a new chain there."""
    for name in ("bucket", "public-keys.json", "signatures.json"):
        p = Path(out) / name
        shutil.rmtree(p) if p.is_dir() else p.unlink(missing_ok=True)
    b, rng, model = Bucket(out, keys), random.Random(seed), {}
    key_pem = b.keys / signing_key

    def digest(region, start, logs, prev, backfill=False):
        end = start + dt.timedelta(hours=1)
        key = digest_key(region, end, backfill)
        entries = [{"s3Bucket": BUCKET, "s3Object": k, "hashValue": sha256(raw), "hashAlgorithm": "SHA-256",
                    "newestEventTime": new, "oldestEventTime": old} for k, raw, old, new in logs]
        data = {"awsAccountId": ACCT, "digestStartTime": iso(start), "digestEndTime": iso(end),
                "digestS3Bucket": BUCKET, "digestS3Object": key, "digestPublicKeyFingerprint": b.fingerprint,
                "digestSignatureAlgorithm": "SHA256withRSA",
                "newestEventTime": max((e["newestEventTime"] for e in entries), default=None),
                "oldestEventTime": min((e["oldestEventTime"] for e in entries), default=None),
                "previousDigestS3Bucket": BUCKET if prev else None, "previousDigestS3Object": prev and prev["key"],
                "previousDigestHashValue": prev and sha256(prev["raw"]),
                "previousDigestHashAlgorithm": "SHA-256" if prev else None,
                "previousDigestSignature": prev and prev["sig"], "logFiles": entries}
        raw = compact(data)
        b.put(key, raw)
        d = {"key": key, "data": data, "raw": raw, "logs": [l[0] for l in logs]}
        d["sig"] = sign(key_pem, string_to_sign(data, raw))
        b.set_sig(key, d["sig"])
        return d

    for region in REGIONS:
        hourly, prev = [], None
        for h in range(HOURS):
            start = T0 + dt.timedelta(hours=h)
            logs = [] if h == EMPTY_HOUR[region] else [
                make_log(rng, region, start, start + dt.timedelta(minutes=rng.randint(lo, hi)))
                for lo, hi in ((6, 27), (31, 56))]
            for k, raw, _, _ in logs:
                b.put(k, raw)
            if restart == (region, h):
                prev = None
            prev = digest(region, start, logs, prev)
            hourly.append(prev)
        extra = make_log(rng, region, T0, T0 + dt.timedelta(minutes=rng.randint(40, 58)))
        b.put(extra[0], extra[1])
        model[region] = {"hourly": hourly, "backfill": digest(region, T0, [extra], None, backfill=True)}
    return b, model


def F(rule, file, **extra): return {"rule": rule, "file": file, **extra}


def tamper(case, out, seed, keys):
    """Builds the case; returns (Bucket, expected, optional, notes)."""
    b, m = build(out, seed, keys, ("us-east-1", 2) if case == "chain-restart" else None,
                 "test-key-2.pem" if case == "wrong-key" else "test-key-1.pem")
    east, west = m["us-east-1"]["hourly"], m["us-west-2"]["hourly"]
    every = [d["key"] for r in REGIONS for d in m[r]["hourly"] + [m[r]["backfill"]]]
    if case == "chain-restart":
        return b, [F("chain-restart", east[2]["key"])], [], (
            "Digests are named by window, [02-03] = 02:00-03:00 = file ...T030000Z. us-east-1 logging restarted: "
            "[02-03] has all five previous* null and [03-04] chains from it; [01-02] simply has no successor. "
            "The first digest per region ([00-01]) and the backfills are starting digests but not restarts.")
    if case == "wrong-key":
        return b, [F("digest-signature-invalid", k) for k in every], [], (
            "All digests signed with test-key-2; public-keys.json lists test-key-1 under the fingerprint they claim.")
    if case == "key-expired":
        b.validity = ("2023-01-01T00:00:00Z", "2024-01-01T00:00:00Z")
        return b, [F("public-key-not-found", k) for k in every], [], (
            "The only key (right fingerprint) is valid 2023-01-01..2024-01-01; the digests end on 2024-03-14.")
    if case == "log-edited":
        d, key = east[1], east[1]["logs"][0]
        raw = bytearray(b.read(key))
        i = raw.index(b'"eventID":"') + len(b'"eventID":"')
        raw[i] = ord("1") if raw[i] != ord("1") else ord("2")
        b.put(key, bytes(raw))
        return b, [F("log-modified", key, digest=d["key"])], [], "First hex digit of the first eventID changed."
    if case == "log-deleted":
        d, key = east[2], east[2]["logs"][1]
        (b.root / key).unlink()
        return b, [F("log-missing", key, digest=d["key"])], [], "A listed log removed."
    if case == "log-added":
        t = T0 + dt.timedelta(hours=1)
        key, raw, _, _ = make_log(random.Random(seed + 1000), "us-east-1", t, t + dt.timedelta(minutes=58))
        b.put(key, raw)
        return b, [F("log-unlisted", key, digest=None)], [], "A valid log delivered 01:58 that no digest lists."
    if case == "log-renamed":
        d, old = west[0], west[0]["logs"][0]
        new = old[:-24] + "RenamedLogFile00.json.gz"
        (b.root / old).rename(b.root / new)
        return b, [F("log-missing", old, digest=d["key"]), F("log-unlisted", new, digest=None)], [], (
            "Same folder and name timestamp, another 16-character unique string.")
    if case == "digest-edited":
        d = east[1]
        old = parse_time(d["data"]["oldestEventTime"]) - dt.timedelta(minutes=7)
        b.put(d["key"], compact(dict(d["data"], oldestEventTime=iso(old))))
        return b, [F("digest-modified", east[2]["key"], previous=d["key"]),
                   F("digest-signature-invalid", d["key"])], [], (
            "us-east-1 [01-02] (...T020000Z): top-level oldestEventTime 7 minutes earlier (legal on late delivery), "
            "re-gzipped, signature kept; logs and their hashes intact, so no log finding.")
    if case == "digest-deleted":
        d = east[1]
        (b.root / d["key"]).unlink()
        b.drop_sig(d["key"])
        return b, ([F("digest-missing", east[2]["key"], missing=d["key"])] +
                   [F("log-unlisted", k, digest=None) for k in d["logs"]]), [F("digest-gap", east[2]["key"])], (
            "us-east-1 [01-02] (...T020000Z) removed with its sidecar and signatures.json entry. Its logs lie in the "
            "region's covered span (first digestStartTime..last digestEndTime) and no digest left lists them. "
            "Optional: digest-gap on [02-03] (no digest present ends at its start).")
    if case == "digest-moved":
        d = west[1]
        new = d["key"].replace("/2024/03/14/", "/2024/03/15/")
        (b.root / new).parent.mkdir(parents=True)
        (b.root / d["key"]).rename(b.root / new)
        (b.root / (d["key"] + ".sig")).rename(b.root / (new + ".sig"))
        b.sigs[new] = b.sigs.pop(d["key"])
        return b, [F("digest-moved", new), F("digest-missing", west[2]["key"], missing=d["key"])], [], (
            "us-west-2 [01-02] (...T020000Z) moved to 2024/03/15/ with its sidecar; signatures.json keyed by its new "
            "key (metadata moves with the object). Its signature verifies (it signs its digestS3Object) and it still "
            "lists its logs, so they are not unlisted.")
    if case == "signature-swapped":
        x, y = west[1], west[2]
        b.set_sig(x["key"], y["sig"])
        b.set_sig(y["key"], x["sig"])
        return b, [F("digest-signature-invalid", x["key"]), F("digest-signature-invalid", y["key"])], [
            F("digest-modified", y["key"], previous=x["key"]),
            F("digest-modified", west[3]["key"], previous=y["key"])], (
            "Signatures of us-west-2 [01-02] and [02-03] swapped in signatures.json and sidecars; all "
            "previousDigestHashValue links still match. Optional: a verifier that compares "
            "previousDigestSignature with the previous digest's metadata signature sees two broken links.")
    if case == "previous-signature-null":
        d = west[1]
        data = dict(d["data"], previousDigestSignature=None)
        b.put(d["key"], compact(data))
        b.set_sig(d["key"], sign(b.keys / "test-key-1.pem", string_to_sign(data, compact(data))))
        return b, [F("digest-modified", west[2]["key"], previous=d["key"])], [
            F("digest-modified", d["key"], previous=west[0]["key"])], (
            "us-west-2 [01-02] (...T020000Z): previousDigestSignature null, the other four previous* kept, re-signed "
            "with test-key-1 over its new bytes and 'null', so its own signature verifies. Not a chain-restart (that "
            "needs all five previous* null). Its own link holds: its previousDigestHashValue is the SHA-256 of the "
            "intact [00-01]. [02-03] (...T030000Z) records the original bytes and signature of [01-02] in its "
            "previousDigestHashValue and previousDigestSignature, so the link [01-02] -> [02-03] breaks: "
            "digest-modified with file = [02-03] (the digest whose record no longer matches) and previous = [01-02] "
            "(the changed one). [02-03] is itself correctly signed. Optional: a verifier that compares "
            "previousDigestSignature with the previous digest's signature also flags the link [00-01] -> [01-02] "
            "(null vs. the signature of [00-01]).")
    if case == "truncated-gz":
        d, key = west[3], west[3]["logs"][0]
        p = b.root / key
        p.write_bytes(p.read_bytes()[:p.stat().st_size // 2])
        return b, [F("gzip-corrupt", key, digest=d["key"])], [], (
            "The .gz cut in half: unreadable input is gzip-corrupt (the existing input rule), not log-modified.")
    if case == "signature-missing":
        d = west[3]
        b.drop_sig(d["key"])
        return b, [F("signature-missing", d["key"])], [], "No signatures.json entry and no sidecar (info)."
    raise SystemExit(f"unknown case {case!r}; cases: {', '.join(CASES)}")


def make(out, seed, case, manifest, keys):
    if case:
        b, expected, optional, notes = tamper(case, out, seed, keys)
    else:
        b, expected, optional, notes = build(out, seed, keys)[0], [], [], "Clean: everything verifies."
    b.write_meta()
    order = lambda f: (f["file"], f["rule"])
    text = json.dumps({"case": case or "clean", "seed": seed, "expected": sorted(expected, key=order),
                       "optional": sorted(optional, key=order), "notes": notes}, indent=2) + "\n"
    Path(manifest).write_text(text) if manifest else sys.stdout.write(text)
    return 0


# ------------------------------------------------ independent check: hashlib + the openssl command line

def verify(out, expect=None):
    out, root, tmp = Path(out), Path(out) / "bucket", Path(tempfile.mkdtemp())
    keys = json.loads((out / "public-keys.json").read_text())["PublicKeyList"]
    sigs = json.loads((out / "signatures.json").read_text()) if (out / "signatures.json").exists() else {}
    found, digests, logs, listed, n = [], {}, {}, set(), {"signatures verified": 0, "links checked": 0}

    def gunzip(path):
        try:
            return gzip.decompress((root / path).read_bytes())
        except Exception:
            return None

    def openssl_verify(pk, message, sig_hex):  # the PEM comes from public-keys.json, not from Fixtures/verify/keys
        (tmp / "k.der").write_bytes(base64.b64decode(pk["Value"]))
        subprocess.run(["openssl", "rsa", "-RSAPublicKey_in", "-inform", "DER", "-in", tmp / "k.der",
                        "-pubout", "-out", tmp / "k.pem"], capture_output=True, check=True)
        (tmp / "m").write_text(message, encoding="utf-8")
        (tmp / "s").write_bytes(bytes.fromhex(sig_hex))
        return subprocess.run(["openssl", "dgst", "-sha256", "-verify", tmp / "k.pem", "-signature", tmp / "s",
                               tmp / "m"], capture_output=True).returncode == 0

    for path in sorted(str(p.relative_to(root)) for p in root.rglob("*.json.gz")):
        if m := DIGEST_RE.match(path):
            raw = gunzip(path)
            if raw is None:
                found.append(F("gzip-corrupt", path))
            else:
                digests[path] = (m, json.loads(raw), raw)
        elif m := LOG_RE.match(path):
            logs[path] = m
    chain_of = lambda m: m.group("prefix", "org", "acct", "region", "trail", "home")
    for path, (m, d, raw) in digests.items():
        if d["digestS3Object"] != path:
            found.append(F("digest-moved", path))
        sidecar = root / (path + ".sig")
        side = sidecar.read_text().strip() if sidecar.exists() else None
        if side and path in sigs and side != sigs[path]:
            found.append(F("FIXTURE ERROR: signatures.json and the .sig sidecar disagree", path))
        sig, end = sigs.get(path, side), parse_time(d["digestEndTime"])
        pk = next((k for k in keys if k["Fingerprint"] == d["digestPublicKeyFingerprint"]
                   and parse_time(k["ValidityStartTime"]) <= end <= parse_time(k["ValidityEndTime"])), None)
        message = "%s\n%s/%s\n%s\n%s" % (d["digestEndTime"], d["digestS3Bucket"], d["digestS3Object"],
                                         hashlib.sha256(raw).hexdigest(), d["previousDigestSignature"] or "null")
        if sig is None:
            found.append(F("signature-missing", path))
        elif pk is None:
            found.append(F("public-key-not-found", path))
        elif openssl_verify(pk, message, sig):
            n["signatures verified"] += 1
        else:
            found.append(F("digest-signature-invalid", path))
        for entry in d["logFiles"]:
            key = entry["s3Object"]
            listed.add(key)
            if not (root / key).exists():
                found.append(F("log-missing", key, digest=path))
            elif (log_raw := gunzip(key)) is None:
                found.append(F("gzip-corrupt", key, digest=path))
            elif hashlib.sha256(log_raw).hexdigest() != entry["hashValue"]:
                found.append(F("log-modified", key, digest=path))
        if m["backfill"]:  # backfill digests are outside the hourly chain
            continue
        if all(d[k] is None for k in ("previousDigestS3Bucket", "previousDigestS3Object", "previousDigestHashValue",
                                      "previousDigestHashAlgorithm", "previousDigestSignature")):
            if any(not o["backfill"] and chain_of(o) == chain_of(m) and parse_time(od["digestEndTime"]) < end
                   for o, od, _ in digests.values()):
                found.append(F("chain-restart", path))
        elif (prev := digests.get(d["previousDigestS3Object"])) is None:
            found.append(F("digest-missing", path, missing=d["previousDigestS3Object"]))
        else:
            n["links checked"] += 1
            if hashlib.sha256(prev[2]).hexdigest() != d["previousDigestHashValue"]:
                found.append(F("digest-modified", path, previous=d["previousDigestS3Object"]))
    spans = {}  # per account and region: first digestStartTime .. last digestEndTime
    for m, d, _ in digests.values():
        g, s, e = chain_of(m)[:4], parse_time(d["digestStartTime"]), parse_time(d["digestEndTime"])
        spans[g] = (min(spans.get(g, (s, e))[0], s), max(spans.get(g, (s, e))[1], e))
    for path, m in logs.items():
        t = dt.datetime.strptime(m["ts"], "%Y%m%dT%H%MZ").replace(tzinfo=dt.timezone.utc)
        span = spans.get(m.group("prefix", "org", "acct", "region"))
        if path not in listed and span and span[0] <= t < span[1]:
            found.append(F("log-unlisted", path, digest=None))
    shutil.rmtree(tmp)
    print(f"{len(digests)} digests, {len(logs)} logs, " + ", ".join(f"{v} {k}" for k, v in n.items()))
    for f in sorted(found, key=lambda f: (f["file"], f["rule"])):
        print(f"  {f['rule']}: {f['file']}" + "".join(f" ({k} {f[k]})" for k in ("missing", "previous") if k in f))
    if expect is None:
        print("clean" if not found else f"{len(found)} finding(s)")
        return 0 if all(f["rule"] == "signature-missing" for f in found) else 1
    manifest, key = json.loads(Path(expect).read_text()), lambda f: json.dumps(f, sort_keys=True)
    got, want = {key(f) for f in found}, {key(f) for f in manifest["expected"]}
    extra = got - want - {key(f) for f in manifest.get("optional", [])}
    for label, items in (("expected but not found", want - got), ("found but not in the manifest", extra)):
        for item in sorted(items):
            print(f"  {label}: {item}")
    ok = not (want - got) and not extra
    print(f"{manifest['case']}: {'matches' if ok else 'DOES NOT MATCH'} the manifest ({len(want)} expected)")
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", nargs="?")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tamper", choices=CASES)
    ap.add_argument("--manifest")
    ap.add_argument("--keys", default=str(KEYS))
    ap.add_argument("--all", metavar="DIR")
    ap.add_argument("--verify-with-openssl", metavar="OUT")
    ap.add_argument("--expect", metavar="MANIFEST")
    a = ap.parse_args()
    if a.verify_with_openssl:
        return verify(a.verify_with_openssl, a.expect)
    if a.all:
        for case in [None] + CASES:
            d = Path(a.all) / (case or "clean")
            d.mkdir(parents=True, exist_ok=True)
            make(d, a.seed, case, d / "manifest.json", a.keys)
        return 0
    if not a.out:
        ap.error("OUT is required")
    Path(a.out).mkdir(parents=True, exist_ok=True)
    return make(a.out, a.seed, a.tamper, a.manifest, a.keys)


if __name__ == "__main__":
    sys.exit(main())

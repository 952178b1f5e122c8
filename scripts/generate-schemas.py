#!/usr/bin/env python3
"""Generate the CloudTrail JSON Schemas in Schemas/ (draft 2020-12).

This script is the single source of truth for Schemas/*.json: edit it, run it,
commit both. `--check` exits 1 if the files on disk differ from what it would
write (used by .ci/check-schemas.py).

Layout (all `$id`s are BASE + path relative to Schemas/):
  cloudtrail-<version>.schema.json   one record of that eventVersion
  cloudtrail-insight.schema.json     requirements of an Insights record (1.07+)
  cloudtrail-aggregated.schema.json  an aggregated data event (own "1.0" series)
  cloudtrail-log-file.schema.json    the {"Records": [...]} envelope
  cloudtrail-digest.schema.json      a digest file
  defs/*.schema.json                 shared definitions
  index.json                         versions -> files, newest version, shared files

Conventions:
  * `$ref`s are relative URIs resolved against the `$id` of the file they are in.
  * Every member of every `properties` object carries `x-since`: the eventVersion
    that introduced the field ("1.0" when the reference gives no version, which
    means: never report the field as too new). The digest file has no
    eventVersion, so its properties carry no `x-since`.
  * Only the keywords the in-house engine implements are used.
"""

import json
import sys
from pathlib import Path

BASE = "https://cloudtrail-lint.dev/schemas/"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
ROOT = Path(__file__).resolve().parent.parent / "Schemas"

VERSIONS = ["1.0", "1.01", "1.02", "1.03", "1.04", "1.05", "1.06",
            "1.07", "1.08", "1.09", "1.10", "1.11"]
NEWEST = VERSIONS[-1]


def minor(version):
    """Minor part of "1.NN" as an integer ("1.0" -> 0, "1.10" -> 10)."""
    return int(version.split(".")[1])


def at_least(version, since):
    return minor(version) >= minor(since)


# ---------------------------------------------------------------------------
# Regular expressions (ECMA-262, no lookaround, no backreferences).

EVENT_TIME = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"
ISO_EXTENDED_OR_BASIC = (
    "^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?Z"
    "|[0-9]{8}T[0-9]{6}Z)$")
ACCOUNT_ID = "^[0-9]{12}$"
ACCOUNT_ID_OR_EMPTY = "^([0-9]{12})?$"
CALLER_ACCOUNT_ID = "^([0-9]{12}|anonymous)?$"
REGION = "^[a-z]+(-[a-z0-9]+)+$"
EVENT_VERSION = "^[0-9]+\\.[0-9]+$"
PARTITION = "aws(-[a-z]+)*"
ARN = "^arn:[a-z]+(-[a-z]+)*:[A-Za-z0-9-]+:[a-z0-9-]*:[^:]*:.+$"
ROOT_ARN = "^arn:" + PARTITION + ":iam::[0-9]{12}:root$"
USER_ARN = "^arn:" + PARTITION + ":iam::[0-9]{12}:user/[!-~]+$"
ASSUMED_ROLE_ARN = "^arn:" + PARTITION + ":sts::[0-9]{12}:assumed-role/[^/ ]+/[^/ ]+$"
FEDERATED_USER_ARN = "^arn:" + PARTITION + ":sts::[0-9]{12}:federated-user/[^/ ]+$"
ACCESS_KEY_ID = "^([A-Za-z0-9_]{16,128})?$"
TRUE_FALSE_ANY_CASE = "^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])$"
HEX64 = "^[0-9a-f]{64}$"
HEX32 = "^[0-9a-f]{32}$"

EVENT_TYPES_ALWAYS = [
    "AwsApiCall", "AwsServiceEvent", "AwsConsoleAction", "AwsConsoleSignIn",
    "AwsConsoleSignin", "AwsVpceEvent", "AwsAggregatedEvent", "ActivityLog"]
EVENT_CATEGORIES = ["Management", "Data", "NetworkActivity", "Insight",
                    "Aggregated", "ActivityAuditLog"]
IDENTITY_TYPES = [
    "Root", "IAMUser", "AssumedRole", "Role", "FederatedUser", "Directory",
    "AWSAccount", "AWSService", "IdentityCenterUser", "SAMLUser",
    "WebIdentityUser", "Unknown"]


def prop(since, description, **schema):
    out = {"x-since": since, "description": description}
    out.update(schema)
    return out


def document(path, title, description, body):
    out = {"$schema": DRAFT, "$id": BASE + path, "title": title,
           "description": description}
    out.update(body)
    return out


# ---------------------------------------------------------------------------
# defs/common.schema.json: scalar shapes used by several files.

COMMON = document("defs/common.schema.json", "CloudTrail common scalar shapes",
                  "Scalar value shapes shared by the CloudTrail schemas.", {
    "$defs": {
        "eventTime": {
            "description": "UTC timestamp with second precision and a literal Z.",
            "type": "string", "format": "date-time", "pattern": EVENT_TIME},
        "timestamp": {
            "description": "ISO 8601 UTC timestamp, extended or basic form.",
            "type": "string", "pattern": ISO_EXTENDED_OR_BASIC},
        "uuid": {"description": "A GUID in 8-4-4-4-12 hex form.",
                 "type": "string", "format": "uuid"},
        "accountId": {"description": "Twelve-digit AWS account ID.",
                      "type": "string", "pattern": ACCOUNT_ID},
        "accountIdOrEmpty": {
            "description": "Twelve-digit AWS account ID, or empty when redacted.",
            "type": "string", "pattern": ACCOUNT_ID_OR_EMPTY},
        "region": {"description": "AWS region code such as us-east-1.",
                   "type": "string", "pattern": REGION},
        "arn": {"description": "Amazon Resource Name.", "type": "string",
                "pattern": ARN},
        "freeObject": {
            "description": "Service-defined content, or null.",
            "type": ["object", "null"]},
        "freeObjectOrText": {
            "description": "Service-defined content, a note string, or null.",
            "type": ["object", "string", "null"]},
    }})


def common(name):
    return {"$ref": "common.schema.json#/$defs/" + name}


def top_common(name):
    return {"$ref": "defs/common.schema.json#/$defs/" + name}


# ---------------------------------------------------------------------------
# defs/session-context.schema.json

SESSION_CONTEXT = document(
    "defs/session-context.schema.json", "userIdentity.sessionContext",
    "How temporary credentials were issued and their attributes.", {
        "type": "object",
        "properties": {
            "sessionIssuer": prop("1.0", "Principal that issued the temporary credentials; may be empty.",
                type="object",
                properties={
                    "type": prop("1.0", "Kind of issuing principal.",
                                 type="string", enum=["Root", "IAMUser", "Role"]),
                    "principalId": prop("1.0", "Unique ID of the issuer.", type="string"),
                    "arn": prop("1.0", "ARN of the issuer.", type="string"),
                    "accountId": prop("1.0", "Account that owns the issuer.",
                                      **common("accountIdOrEmpty")),
                    "userName": prop("1.0", "Role name, user name or account alias.", type="string"),
                }),
            "webIdFederationData": prop("1.0", "Web identity federation details; may be empty.",
                type="object",
                properties={
                    "federatedProvider": prop("1.0", "Identity provider that authenticated the caller.", type="string"),
                    "attributes": prop("1.0", "Provider-specific attributes.", type="object"),
                }),
            "attributes": prop("1.0", "Attributes of the session.",
                type="object",
                properties={
                    "creationDate": prop("1.0", "When the credentials were issued (ISO 8601, extended or basic).",
                                         **common("timestamp")),
                    "mfaAuthenticated": prop("1.0", "Whether MFA was used, as the string true or false.",
                                             type="string", pattern=TRUE_FALSE_ANY_CASE),
                }),
            "sourceIdentity": prop("1.0", "STS source identity set when the role was assumed.", type="string"),
            "ec2RoleDelivery": prop("1.0", "Instance metadata service version that delivered the credentials.",
                                    type="string", enum=["1.0", "2.0"]),
            "assumedRoot": prop("1.0", "Set when the session came from sts:AssumeRoot.",
                                type=["string", "boolean"]),
            "signInSessionArn": prop("1.0", "ARN of the console sign-in session.", type="string"),
        },
    })


# ---------------------------------------------------------------------------
# defs/user-identity.schema.json

def identity_branch(description, required=(), **properties):
    out = {"description": description}
    if properties:
        out["properties"] = {k: v for k, v in properties.items()}
    if required:
        out["required"] = list(required)
    return out


USER_IDENTITY = document(
    "defs/user-identity.schema.json", "userIdentity",
    "The principal that made the request. The allOf holds one if/then per "
    "identity type, keyed on the type constant, so only the matching "
    "branch applies.", {
        "type": "object",
        "properties": {
            "type": prop("1.0", "Kind of principal.", type="string", enum=IDENTITY_TYPES),
            "principalId": prop("1.0", "Unique identifier of the principal.", type="string"),
            "arn": prop("1.0", "ARN of the principal.", **common("arn")),
            "accountId": prop("1.0", "Account that owns the principal or its credentials.",
                              type="string", pattern=CALLER_ACCOUNT_ID),
            "accessKeyId": prop("1.0", "Access key that signed the request; may be empty.",
                                type="string", pattern=ACCESS_KEY_ID),
            "userName": prop("1.0", "Friendly name of the principal.", type="string"),
            "invokedBy": prop("1.0", "AWS service that made the request on the principal's behalf.",
                              type="string", minLength=1),
            "sessionContext": prop("1.0", "Temporary-credential session details.",
                                   **{"$ref": "session-context.schema.json"}),
            "identityProvider": prop("1.0", "SAML name qualifier or web identity issuer.", type="string"),
            "credentialId": prop("1.0", "Bearer token or session ID of an Identity Center caller.", type="string"),
            "onBehalfOf": prop("1.0", "Identity Center user the call was made for.",
                type="object",
                properties={
                    "userId": prop("1.0", "Identity Center user ID.", type="string"),
                    "identityStoreArn": prop("1.0", "ARN of the identity store.", type="string"),
                }),
            "inScopeOf": prop("1.0", "Service resource the credentials were scoped to.",
                type="object",
                properties={
                    "sourceArn": prop("1.0", "ARN of the resource the credentials were issued for.", type="string"),
                    "sourceAccount": prop("1.0", "Account that owns the source resource.",
                                          **common("accountIdOrEmpty")),
                    "issuerType": prop("1.0", "Resource type, such as AWS::Lambda::Function.", type="string"),
                    "credentialsIssuedTo": prop("1.0", "Resource the credentials were issued to.", type="string"),
                }),
            "invokedByDelegate": prop("1.0", "Product provider using temporary delegated access.",
                type="object",
                properties={
                    "accountId": prop("1.0", "Account of the product provider.", **common("accountIdOrEmpty")),
                }),
        },
        "allOf": [
            {"if": {"properties": {"type": {"const": t}}, "required": ["type"]},
             "then": {"$ref": "#/$defs/" + t}}
            for t in IDENTITY_TYPES
        ] + [
            {"if": {"not": {"required": ["type"]}},
             "then": {"$ref": "#/$defs/untyped"}},
        ],
        "$defs": {
            "Root": identity_branch(
                "Account root user.", required=["accountId"],
                arn=prop("1.0", "Root ARN of the account.", type="string", pattern=ROOT_ARN)),
            "IAMUser": identity_branch(
                "IAM user; arn and principalId are missing on some failed sign-ins.",
                required=["accountId"],
                arn=prop("1.0", "IAM user ARN.", type="string", pattern=USER_ARN)),
            "AssumedRole": identity_branch(
                "Role session from an AssumeRole* call.",
                required=["principalId", "arn", "accountId"],
                arn=prop("1.0", "Session ARN; the role name never contains a path.",
                         type="string", pattern=ASSUMED_ROLE_ARN)),
            "Role": identity_branch("An IAM role acting as itself."),
            "FederatedUser": identity_branch(
                "Session from GetFederationToken.",
                arn=prop("1.0", "Federated user ARN.", type="string", pattern=FEDERATED_USER_ARN)),
            "Directory": identity_branch("A directory service principal."),
            "AWSAccount": identity_branch(
                "Principal of another AWS account; accountId is the caller's account.",
                required=["accountId"]),
            "AWSService": identity_branch("A principal that belongs to an AWS service."),
            "IdentityCenterUser": identity_branch("Call made on behalf of an IAM Identity Center user."),
            "SAMLUser": identity_branch("Caller of AssumeRoleWithSAML.",
                                        required=["identityProvider"]),
            "WebIdentityUser": identity_branch("Caller of AssumeRoleWithWebIdentity.",
                                               required=["identityProvider"]),
            "Unknown": identity_branch("CloudTrail could not determine the principal type."),
            "untyped": identity_branch(
                "No type member, as on some service events "
                "(for example accountId plus invokedBy)."),
        },
    })


# ---------------------------------------------------------------------------
# Other shared definitions.

RESOURCES = document(
    "defs/resources.schema.json", "resources",
    "Resources the event acted on.", {
        "type": ["array", "null"],
        "items": {"$ref": "#/$defs/resource"},
        "$defs": {
            "resource": {
                "description": "One resource; S3 object entries use ARNPrefix instead of ARN.",
                "type": "object",
                "properties": {
                    "ARN": prop("1.01", "ARN of the resource.", type="string"),
                    "ARNPrefix": prop("1.01", "ARN prefix, used for S3 objects.", type="string"),
                    "accountId": prop("1.01", "Owner of the resource; empty when redacted.",
                                      **common("accountIdOrEmpty")),
                    "type": prop("1.01", "Resource type such as AWS::S3::Bucket.", type="string"),
                },
            }
        },
    })

TLS_DETAILS = document(
    "defs/tls-details.schema.json", "tlsDetails",
    "TLS parameters of the request; members may be missing.", {
        "type": "object",
        "properties": {
            "tlsVersion": prop("1.08", "Protocol version, such as TLSv1.2.",
                               type="string", pattern="^TLSv[0-9](\\.[0-9])?$"),
            "cipherSuite": prop("1.08", "Negotiated cipher suite (OpenSSL or IANA name).", type="string"),
            "clientProvidedHostHeader": prop("1.08", "Host header sent by the client.", type="string"),
            "keyExchange": prop("1.08", "Key exchange group, such as x25519.", type="string"),
        },
    })

ADDENDUM = document(
    "defs/addendum.schema.json", "addendum",
    "Why the event was delivered late or changed after delivery.", {
        "type": "object",
        "properties": {
            "reason": prop("1.08", "Reason for the addendum.", type="string",
                           enum=["DELIVERY_DELAY", "UPDATED_DATA", "SERVICE_OUTAGE"]),
            "updatedFields": prop("1.08", "Fields that changed (UPDATED_DATA only).", type="string"),
            "originalRequestID": prop("1.08", "requestID of the original event (UPDATED_DATA only).", type="string"),
            "originalEventID": prop("1.08", "eventID of the original event (UPDATED_DATA only).", type="string"),
        },
    })

EDGE_DEVICE_DETAILS = document(
    "defs/edge-device-details.schema.json", "edgeDeviceDetails",
    "Edge device (S3 on Outposts, Snow) that handled the request.", {
        "type": "object",
        "properties": {
            "type": prop("1.08", "Kind of device.", type="string"),
            "deviceId": prop("1.08", "Device identifier.", type="string"),
            "deviceFamily": prop("1.08", "Device family.", type="string"),
            "snowJobId": prop("1.08", "Snow job identifier.", type="string"),
            "attributes": prop("1.08", "Device attributes.", type="object"),
        },
    })

EVENT_CONTEXT = document(
    "defs/event-context.schema.json", "eventContext",
    "Enrichment added by CloudTrail Lake event data stores.", {
        "type": "object",
        "properties": {
            "requestContext": prop("1.11", "Context keys of the request.", type="object"),
            "tagContext": prop("1.11", "Resource and principal tags.", type="object"),
        },
    })


def insight_values(description):
    return prop("1.07", description, type="array", items={
        "type": "object",
        "properties": {
            "value": prop("1.07", "Attribute value (the string null for a missing error code).", type="string"),
            "average": prop("1.07", "Average calls per minute for this value.", type="number"),
        },
    })


INSIGHT_DETAILS = document(
    "defs/insight-details.schema.json", "insightDetails",
    "What an Insights event detected.", {
        "type": "object",
        "required": ["state", "eventSource", "eventName", "insightType"],
        "properties": {
            "state": prop("1.07", "Whether the unusual activity starts or ends.", type="string",
                          enum=["Start", "End"]),
            "eventSource": prop("1.07", "Service whose API activity is unusual.", type="string"),
            "eventName": prop("1.07", "API whose activity is unusual.", type="string"),
            "errorCode": prop("1.07", "Error code, for error-rate insights.", type="string"),
            "insightType": prop("1.07", "Kind of insight.", type="string",
                                enum=["ApiCallRateInsight", "ApiErrorRateInsight"]),
            "insightContext": prop("1.07", "Statistics and attributions.",
                type="object",
                properties={
                    "statistics": prop("1.07", "Baseline and insight averages.",
                        type="object",
                        properties={
                            "baseline": prop("1.07", "Baseline average.", type="object",
                                             properties={"average": prop("1.07", "Calls or errors per minute.", type="number")}),
                            "insight": prop("1.07", "Average during the insight.", type="object",
                                            properties={"average": prop("1.07", "Calls or errors per minute.", type="number")}),
                            "insightDuration": prop("1.07", "Length of the insight, in minutes.", type="number", minimum=0),
                            "baselineDuration": prop("1.07", "Length of the baseline, in minutes.", type="number", minimum=0),
                        }),
                    "attributions": prop("1.07", "Top contributors per attribute.",
                        type="array",
                        items={
                            "type": "object",
                            "properties": {
                                "attribute": prop("1.07", "Attribute the values belong to.", type="string",
                                                  enum=["userIdentityArn", "userAgent", "errorCode"]),
                                "insight": insight_values("Top values during the insight."),
                                "baseline": insight_values("Top values during the baseline."),
                            },
                        }),
                }),
        },
    })


# ---------------------------------------------------------------------------
# Record-level fields: name -> (since, schema). Descriptions are short.

def f(since, description, **schema):
    return (since, prop(since, description, **schema))


def ref_field(since, description, ref):
    return (since, prop(since, description, **{"$ref": ref}))


def record_fields(version):
    event_types = list(EVENT_TYPES_ALWAYS)
    if at_least(version, "1.07"):
        event_types.insert(6, "AwsCloudTrailInsight")
    fields = [
        ("eventVersion", f("1.0", "Record format version, major.minor.",
                           type="string", pattern=EVENT_VERSION)),
        ("userIdentity", ref_field("1.0", "Principal that made the request.",
                                   "defs/user-identity.schema.json")),
        ("eventTime", ref_field("1.0", "When the request completed (UTC).",
                                "defs/common.schema.json#/$defs/eventTime")),
        ("eventSource", f("1.0", "Service that received the request.", type="string", minLength=1)),
        ("eventName", f("1.0", "Requested action.", type="string", minLength=1)),
        ("awsRegion", ref_field("1.0", "Region the request was made to.",
                                "defs/common.schema.json#/$defs/region")),
        ("sourceIPAddress", f("1.0", "Caller address, service name or AWS Internal.",
                              type="string", minLength=1)),
        ("userAgent", f("1.0", "Agent through which the request was made.", type="string")),
        ("errorCode", f("1.0", "Service error code of a failed request.", type="string")),
        ("errorMessage", f("1.0", "Service error message of a failed request.", type="string")),
        ("requestParameters", ref_field("1.0", "Request parameters; null when there are none.",
                                        "defs/common.schema.json#/$defs/freeObject")),
        ("responseElements", ref_field("1.0", "Response elements; null when there are none.",
                                       "defs/common.schema.json#/$defs/freeObject")),
        ("additionalEventData", ref_field("1.0", "Extra service-defined data; some services put a note string here.",
                                          "defs/common.schema.json#/$defs/freeObjectOrText")),
        ("requestID", f("1.01", "Request identifier generated by the service.", type="string", minLength=1)),
        ("eventID", ref_field("1.01", "GUID CloudTrail assigned to this record.",
                              "defs/common.schema.json#/$defs/uuid")),
        ("readOnly", f("1.01", "Whether the operation only reads.", type="boolean")),
        ("resources", ref_field("1.01", "Resources the event acted on.", "defs/resources.schema.json")),
        ("apiVersion", f("1.01", "API version of the called service.", type="string")),
        ("eventType", f("1.02", "Kind of event.", type="string", enum=event_types)),
        ("recipientAccountId", ref_field("1.02", "Account that received this copy of the event.",
                                         "defs/common.schema.json#/$defs/accountId")),
        ("sharedEventID", ref_field("1.03", "GUID shared by the copies delivered to several accounts.",
                                    "defs/common.schema.json#/$defs/uuid")),
        ("vpcEndpointId", f("1.04", "VPC endpoint the request went through.", type="string", minLength=1)),
        ("serviceEventDetails", ref_field("1.05", "Payload of a service event.",
                                          "defs/common.schema.json#/$defs/freeObject")),
        ("managementEvent", f("1.06", "Whether this is a management event.", type="boolean")),
        ("eventCategory", f("1.07", "Event category.", type="string", enum=EVENT_CATEGORIES)),
        ("insightDetails", ref_field("1.07", "What an Insights event detected.",
                                     "defs/insight-details.schema.json")),
        ("addendum", ref_field("1.08", "Why the event was late or amended.", "defs/addendum.schema.json")),
        ("sessionCredentialFromConsole", f("1.08", "Present as the string true when the session came from the console.",
                                           type="string", enum=["true", "false"])),
        ("edgeDeviceDetails", ref_field("1.08", "Edge device that handled the request.",
                                        "defs/edge-device-details.schema.json")),
        ("tlsDetails", ref_field("1.08", "TLS parameters of the request.", "defs/tls-details.schema.json")),
        ("vpcEndpointAccountId", f("1.09", "Owner of the VPC endpoint, or a service name.",
                                   type="string", minLength=1)),
        ("eventContext", ref_field("1.11", "Lake enrichment context.", "defs/event-context.schema.json")),
    ]
    return [(name, schema) for name, (since, schema) in fields if at_least(version, since)]


def only(version, names):
    """The names whose field exists in `version`."""
    known = {name for name, _ in record_fields(version)}
    return [n for n in names if n in known]


def event_type_is(*values):
    cond = {"const": values[0]} if len(values) == 1 else {"enum": list(values)}
    return {"properties": {"eventType": cond}, "required": ["eventType"]}


def record_schema(version):
    v = version
    props = dict(record_fields(v))
    caller = ["userIdentity", "eventSource", "eventName", "sourceIPAddress"]
    defs = {}
    defs["apiCall"] = {
        "description": "API call (management or data event). Sign-in events "
                       "from before eventType existed carry no requestID.",
        "required": only(v, caller + ["recipientAccountId"]),
        "$comment": "userAgent is usual but optional (absent in some KMS and Redshift records); "
                    "recipientAccountId is required from 1.02 (reference: management API records).",
    }
    if at_least(v, "1.01"):
        defs["apiCall"]["if"] = {"properties": {"eventSource": {"const": "signin.amazonaws.com"}},
                                 "required": ["eventSource"]}
        defs["apiCall"]["else"] = {"required": ["requestID"]}
    defs["consoleSignIn"] = {
        "description": "Console sign-in; requestID and readOnly are usually absent.",
        "required": only(v, caller),
    }
    defs["consoleAction"] = {
        "description": "Console action that is not an API call.",
        "required": only(v, caller),
    }
    defs["serviceEvent"] = {
        "description": "Event generated by an AWS service; userIdentity may lack a type.",
        "required": only(v, caller),
    }
    defs["networkActivity"] = {
        "description": "VPC endpoint network activity; no userAgent, requestParameters or responseElements.",
        "required": only(v, caller + ["requestID", "recipientAccountId", "vpcEndpointId",
                                      "vpcEndpointAccountId"]),
    }
    defs["activityLog"] = {
        "description": "CloudTrail Lake integration event from a non-AWS source.",
    }

    chain_tail = {"$ref": "#/$defs/apiCall"}
    steps = []
    if at_least(v, "1.02"):
        steps += [
            (event_type_is("ActivityLog"), "#/$defs/activityLog"),
            (event_type_is("AwsServiceEvent"), "#/$defs/serviceEvent"),
            (event_type_is("AwsConsoleAction"), "#/$defs/consoleAction"),
            (event_type_is("AwsConsoleSignIn", "AwsConsoleSignin"), "#/$defs/consoleSignIn"),
        ]
        # Network activity is an AwsVpceEvent or (from 1.07) any record of category NetworkActivity: two links
        # rather than one `if` with an `anyOf`, so that the eventType tests before and after it stay simple and
        # the validator takes them with one lookup (the `anyOf` link was six of a record's 44 schema calls).
        if at_least(v, "1.07"):
            steps.append(({"properties": {"eventCategory": {"const": "NetworkActivity"}},
                           "required": ["eventCategory"]}, "#/$defs/networkActivity"))
        steps.append((event_type_is("AwsVpceEvent"), "#/$defs/networkActivity"))
        if at_least(v, "1.07"):
            steps.append((event_type_is("AwsCloudTrailInsight"), "cloudtrail-insight.schema.json"))
    steps.append((event_type_is("AwsAggregatedEvent"), "cloudtrail-aggregated.schema.json"))
    # Build the if/else chain from the first step outwards: the last step is tested first, the first last.
    chain = chain_tail
    for condition, target in steps:
        chain = {"if": condition, "then": {"$ref": target}, "else": chain}

    required = ["eventVersion"]
    body = {
        "type": "object",
        "required": required,
        "properties": props,
        "$comment": "Record-level additionalProperties stay open: the linter reports "
                    "members missing from properties itself. The required members "
                    "depend on eventType, chosen by the if/else chain in allOf.",
        "allOf": [chain],
        "$defs": defs,
    }
    # userIdentity.type is always written (the user guide marks it not optional), except in the AWS service
    # events whose samples omit it (reference section 8.3), the Lake integration events, and the identity of a
    # call AWS makes internally, `{"accountId": …, "invokedBy": "AWS Internal"}`, which an AWS KMS sample shows
    # on an AwsApiCall record too.
    # `anyOf` with `type` first: a record that has it passes on the first branch, one lookup the identity's
    # `type` switch has already made (an `if` on `invokedBy` first cost 1.5% of a day's check, callgrind).
    internal = {"properties": {"invokedBy": {"x-since": "1.0", "const": "AWS Internal"}}, "required": ["invokedBy"]}
    for key in ("apiCall", "consoleSignIn", "consoleAction", "networkActivity"):
        defs[key]["properties"] = {"userIdentity": {"x-since": "1.0", "anyOf": [{"required": ["type"]}, internal]}}
    # Fields every non-aggregated, non-Insights record has.
    base = only(v, ["eventTime", "awsRegion", "eventID", "eventType", "eventCategory"])
    for key in ("apiCall", "consoleSignIn", "consoleAction", "serviceEvent",
                "networkActivity", "activityLog"):
        defs[key]["required"] = base + [n for n in defs[key].get("required", []) if n not in base]
    return document(
        "cloudtrail-%s.schema.json" % v,
        "CloudTrail record, eventVersion %s" % v,
        "One CloudTrail record whose eventVersion is %s. Fields introduced by later "
        "versions are not listed in properties." % v,
        body)


INSIGHT_RECORD = document(
    "cloudtrail-insight.schema.json", "CloudTrail Insights record",
    "Requirements of an Insights record (eventType AwsCloudTrailInsight, eventVersion 1.07 "
    "or later). It has no top-level userIdentity, eventSource, eventName, sourceIPAddress "
    "or userAgent.", {
        "type": "object",
        "required": ["eventVersion", "eventTime", "awsRegion", "eventID", "eventType",
                     "eventCategory", "sharedEventID", "insightDetails"],
        "properties": {
            "eventType": prop("1.07", "Always AwsCloudTrailInsight.", const="AwsCloudTrailInsight"),
            "eventCategory": prop("1.07", "Always Insight.", const="Insight"),
            "insightDetails": prop("1.07", "What the Insights event detected.",
                                   **{"$ref": "defs/insight-details.schema.json"}),
        },
    })


def statistics_list(description):
    return prop("1.0", description, type="array", items={
        "type": "object", "required": ["name", "value"],
        "properties": {
            "name": prop("1.0", "Statistic name.", type="string"),
            "value": prop("1.0", "Statistic value.", type=["number", "string"]),
        },
    })


def dimension(description):
    return prop("1.0", description, type="object",
                required=["dimension", "statistics"],
                properties={
                    "dimension": prop("1.0", "Dimension the statistics are grouped by.", type="string"),
                    "statistics": statistics_list("Statistics for the dimension."),
                    "aggregationType": prop("1.0", "How values were aggregated, such as Count.", type="string"),
                })


AGGREGATED = document(
    "cloudtrail-aggregated.schema.json", "CloudTrail aggregated data event",
    "Summary of data events over a time window. Has its own eventVersion series "
    "starting at 1.0 and spells eventId with a lower-case d.", {
        "type": "object",
        "required": ["eventVersion", "accountId", "eventId", "eventCategory", "eventType",
                     "awsRegion", "eventSource", "timeWindow", "summary"],
        "properties": {
            "eventVersion": prop("1.0", "Aggregated-event format version.", type="string",
                                 pattern=EVENT_VERSION),
            "accountId": prop("1.0", "Account the events belong to.",
                              **top_common("accountId")),
            "eventId": prop("1.0", "GUID of the aggregated event.", **top_common("uuid")),
            "eventCategory": prop("1.0", "Always Aggregated.", const="Aggregated"),
            "eventType": prop("1.0", "Always AwsAggregatedEvent.", const="AwsAggregatedEvent"),
            "awsRegion": prop("1.0", "Region of the summarized events.", **top_common("region")),
            "eventSource": prop("1.0", "Service of the summarized events.", type="string"),
            "timeWindow": prop("1.0", "Window the summary covers.", type="object",
                required=["windowStart", "windowEnd"],
                properties={
                    "windowStart": prop("1.0", "Window start (UTC).", **top_common("eventTime")),
                    "windowEnd": prop("1.0", "Window end (UTC).", **top_common("eventTime")),
                    "windowSize": prop("1.0", "Window length as an ISO 8601 duration, such as PT5M.",
                                       type="string", pattern="^P(T?[0-9]+[DHMS])+$"),
                }),
            "summary": prop("1.0", "Aggregated statistics.", type="object",
                required=["primaryDimension"],
                properties={
                    "primaryDimension": dimension("Main grouping of the summary."),
                    "details": prop("1.0", "Further groupings.", type="array",
                                    items={"$ref": "#/$defs/dimension"}),
                }),
        },
        "$defs": {"dimension": dimension("One grouping with its statistics.")},
    })


LOG_FILE = document(
    "cloudtrail-log-file.schema.json", "CloudTrail log file",
    "A delivered log file: an object whose Records array holds the records. "
    "Each record is checked against the schema of its own eventVersion; records "
    "of other versions are only required to be objects.", {
        "type": "object",
        "required": ["Records"],
        "properties": {
            "Records": prop("1.0", "The records, in no particular order.",
                            type="array", items={"$ref": "#/$defs/record"}),
        },
        "$defs": {
            "record": {
                "type": "object",
                "allOf": [
                    {"if": event_type_is("AwsAggregatedEvent"),
                     "then": {"$ref": "cloudtrail-aggregated.schema.json"},
                     "else": {"allOf": [
                         {"if": {"properties": {"eventVersion": {"const": v}},
                                 "required": ["eventVersion"]},
                          "then": {"$ref": "cloudtrail-%s.schema.json" % v}}
                         for v in VERSIONS]}},
                ],
            }
        },
    })


def digest_file_entry():
    return {
        "type": "object",
        "required": ["s3Bucket", "s3Object", "hashValue", "hashAlgorithm"],
        "properties": {
            "s3Bucket": {"description": "Bucket of the log file.", "type": "string", "minLength": 1},
            "s3Object": {"description": "Key of the log file.", "type": "string", "minLength": 1},
            "hashValue": {"description": "Hex SHA-256 of the uncompressed log file.",
                          "type": "string", "pattern": HEX64},
            "hashAlgorithm": {"description": "Hash algorithm.", "const": "SHA-256"},
            "newestEventTime": {"description": "Newest eventTime in the log file.",
                                "$ref": "defs/common.schema.json#/$defs/eventTime"},
            "oldestEventTime": {"description": "Oldest eventTime in the log file.",
                                "$ref": "defs/common.schema.json#/$defs/eventTime"},
        },
    }


def nullable(description, schema):
    return {"description": description, "anyOf": [schema, {"type": "null"}]}


DIGEST = document(
    "cloudtrail-digest.schema.json", "CloudTrail digest file",
    "Hourly digest that lists the log files delivered in its window and chains to the "
    "previous digest. Digest files carry no eventVersion, so properties here have no x-since.", {
        "type": "object",
        "required": ["awsAccountId", "digestStartTime", "digestEndTime", "digestS3Bucket",
                     "digestS3Object", "digestPublicKeyFingerprint", "digestSignatureAlgorithm",
                     "newestEventTime", "oldestEventTime", "previousDigestS3Bucket",
                     "previousDigestS3Object", "previousDigestHashValue",
                     "previousDigestHashAlgorithm", "previousDigestSignature", "logFiles"],
        "properties": {
            "awsAccountId": {"description": "Account the digest is for.",
                             "$ref": "defs/common.schema.json#/$defs/accountId"},
            "digestStartTime": {"description": "Start of the delivery window (UTC).",
                                "$ref": "defs/common.schema.json#/$defs/eventTime"},
            "digestEndTime": {"description": "End of the delivery window (UTC).",
                              "$ref": "defs/common.schema.json#/$defs/eventTime"},
            "digestS3Bucket": {"description": "Bucket the digest was delivered to.",
                               "type": "string", "minLength": 1},
            "digestS3Object": {"description": "Key the digest was delivered to.",
                               "type": "string", "minLength": 1},
            "digestPublicKeyFingerprint": {"description": "Fingerprint of the signing public key.",
                                           "type": "string", "pattern": HEX32},
            "digestSignatureAlgorithm": {"description": "Signature algorithm.",
                                         "type": "string", "enum": ["SHA256withRSA"]},
            "newestEventTime": nullable("Newest eventTime over all listed logs; null when none.",
                                        {"$ref": "defs/common.schema.json#/$defs/eventTime"}),
            "oldestEventTime": nullable("Oldest eventTime over all listed logs; null when none.",
                                        {"$ref": "defs/common.schema.json#/$defs/eventTime"}),
            "previousDigestS3Bucket": nullable("Bucket of the previous digest; null in a starting digest.",
                                               {"type": "string", "minLength": 1}),
            "previousDigestS3Object": nullable("Key of the previous digest; null in a starting digest.",
                                               {"type": "string", "minLength": 1}),
            "previousDigestHashValue": nullable("Hex SHA-256 of the uncompressed previous digest.",
                                                {"type": "string", "pattern": HEX64}),
            "previousDigestHashAlgorithm": nullable("Hash algorithm of the previous digest.",
                                                    {"const": "SHA-256"}),
            "previousDigestSignature": nullable("Hex signature of the previous digest.",
                                                {"type": "string", "pattern": "^[0-9a-f]+$"}),
            "logFiles": {"description": "Log files delivered in the window; may be empty.",
                         "type": "array", "items": {"$ref": "#/$defs/logFile"}},
        },
        "$defs": {"logFile": digest_file_entry()},
    })


# ---------------------------------------------------------------------------

SHARED = {
    "defs/common.schema.json": COMMON,
    "defs/user-identity.schema.json": USER_IDENTITY,
    "defs/session-context.schema.json": SESSION_CONTEXT,
    "defs/resources.schema.json": RESOURCES,
    "defs/tls-details.schema.json": TLS_DETAILS,
    "defs/addendum.schema.json": ADDENDUM,
    "defs/edge-device-details.schema.json": EDGE_DEVICE_DETAILS,
    "defs/event-context.schema.json": EVENT_CONTEXT,
    "defs/insight-details.schema.json": INSIGHT_DETAILS,
    "cloudtrail-insight.schema.json": INSIGHT_RECORD,
    "cloudtrail-aggregated.schema.json": AGGREGATED,
    "cloudtrail-log-file.schema.json": LOG_FILE,
    "cloudtrail-digest.schema.json": DIGEST,
}


def all_documents():
    docs = {}
    for v in VERSIONS:
        docs["cloudtrail-%s.schema.json" % v] = record_schema(v)
    docs.update(SHARED)
    newest_fields = {name: schema["x-since"] for name, schema in record_fields(NEWEST)}
    docs["index.json"] = {
        "$comment": "Generated by scripts/generate-schemas.py. All paths are relative to "
                    "Schemas/; a file's $id is baseURI + its path.",
        "baseURI": BASE,
        "newestVersion": NEWEST,
        "versions": {v: "cloudtrail-%s.schema.json" % v for v in VERSIONS},
        "routes": {
            "eventType": {"AwsAggregatedEvent": "cloudtrail-aggregated.schema.json",
                          "AwsCloudTrailInsight": "cloudtrail-insight.schema.json"},
        },
        "logFile": "cloudtrail-log-file.schema.json",
        "digest": "cloudtrail-digest.schema.json",
        "shared": sorted(SHARED),
        "fieldSince": newest_fields,
    }
    return docs


def render(doc):
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


# Schemas in Schemas/ that are not CloudTrail's and are written by hand.
HAND_WRITTEN = {"cloudtrail-lint-config.schema.json"}


def main(argv):
    check = "--check" in argv
    stale = []
    wanted = {name: render(doc) for name, doc in all_documents().items()}
    for name, text in sorted(wanted.items()):
        path = ROOT / name
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            stale.append(name)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    extra = sorted(str(p.relative_to(ROOT)) for p in ROOT.rglob("*.json")
                   if str(p.relative_to(ROOT)) not in wanted and str(p.relative_to(ROOT)) not in HAND_WRITTEN)
    if check:
        for name in stale:
            print("out of date: Schemas/%s" % name)
        for name in extra:
            print("not generated: Schemas/%s" % name)
        return 1 if stale or extra else 0
    for name in stale:
        print("wrote Schemas/%s" % name)
    for name in extra:
        print("warning: Schemas/%s is not produced by this script" % name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

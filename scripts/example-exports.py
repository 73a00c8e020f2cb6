#!/usr/bin/env python3
"""Regenerates the example pack's raw exports under content/sources/ (issue 11 item 8).

The exports are content: they are committed, and the build hashes them. This script only makes
them reproducible: it is seeded, uses nothing outside Python's standard library, and writes
byte-identical files on every run. Run it from the repository root:

    python3 scripts/example-exports.py

It writes, in the formats the systems write (the fixture README in tests/fixtures/sources/
cites the vendors' documentation and source for each):

- sources/github/<repo>-2026h1.json: `gh pr list --state merged --json ...` of each of the 12
  repositories of the northwind-platform organisation: one line of compact JSON, each pull
  request's keys sorted, reviews in gh's struct order, newest first. It holds every change the
  pack's change records (evidence/2026/*/changes.yaml) name, with their authors and approvers,
  and the other merged pull requests of the half-year, bots included. Planted: the four
  emergency changes approved only after the merge (CM-02), one of them self-approved with a
  second account; a self-approval with an admin account; a Dependabot pull request approved
  only by the github-actions bot; dismissed reviews followed by a fresh approval, changes
  requested then approved, and approvals and comments submitted after the merge (all clean).
- sources/jira/it-access-2026h1.csv: Jira's "Export CSV (all fields)" of the IT service desk's
  joiner, mover, leaver and access request tickets (the AC-03 population), with repeated
  columns, custom fields, multi-line cells and the site's default date format. Planted: three
  tickets resolved after the five-day SLA.
- sources/aws/credential-report-2026-07-01.csv: the decoded AWS IAM credential report of the
  production account: the root user (no keys), the break-glass console users (MFA), and the
  IAM users that still hold access keys, each claimed by an identity in identities/aws-iam-users.yaml.
  Planted: a stale key (backup-export, last rotated 2026-02-26, 125 days at the report) and an
  unused key (edi-archive-reader, last used 2026-03-06).
- sources/hr/new-starters-2026h1.csv: HiBob's "New starters with screening" report (a generic
  CSV: UTF-8, CRLF, UK dates), the HR-01 population; every starter's screening is complete and
  was checked and approved by two different people.
"""

import base64
import csv
import io
import json
import random
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "content"
START, END = date(2026, 1, 1), date(2026, 6, 30)
HOST = "https://github.example/northwind-platform"
rng = random.Random("northwind-2026h1-exports")

# GitHub logins of the pack's people (people.yaml claims them in `accounts:`); the second
# account of an administrator is used only where planted.
LOGIN = {
    "aisha": ("aisha-bello", "Aisha Bello", 1104),
    "fatima": ("fatima-alsayed", "Fatima Al-Sayed", 1106),
    "jonas": ("jonasberg", "Jonas Berg", 1109),
    "marek": ("mzielinski", "Marek Zieliński", 1111),
    "mei": ("meichen", "Mei Chen", 1112),
    "oliver": ("ogrant", "Oliver Grant", 1101),
    "sven": ("svenlq", "Sven Lindqvist", 1102),
    "tomasz": ("tnowak", "Tomasz Nowak", 1103),
    "kwame": ("kwame-asante", "Kwame Asante", 1100),
    "noah": ("noah-williams", "Noah Williams", 1107),
}
ADMIN = {"sven": ("svenlq-admin", "Sven Lindqvist (admin)", 1202), "fatima": ("fatima-admin", "Fatima Al-Sayed (admin)", 1206)}
JONAS_LEFT = date(2026, 3, 13)

REPOS = {  # repository: (pull requests merged in the half-year besides the recorded ones, bot share)
    "web-app": (78, 0.10), "api-gateway": (52, 0.08), "shipment-ingest": (61, 0.08),
    "carrier-connectors": (50, 0.08), "eta-engine": (38, 0.10), "billing-service": (33, 0.12),
    "notification-service": (37, 0.10), "sftp-gateway": (16, 0.15), "infra-terraform": (70, 0.05),
    "k8s-manifests": (66, 0.12), "dbt-analytics": (48, 0.04), "ci-workflows": (18, 0.10),
}

# The production changes the pack's change records name (repository, number, merged on,
# author, approver, emergency, title): what populations/CM-01.csv listed before sources.
RECORDED = [
    ('dbt-analytics', 577, '2026-01-05', 'mei', 'oliver', False, 'Backfill late-arriving AIS events'),
    ('billing-service', 344, '2026-01-06', 'aisha', 'tomasz', False, 'Upgrade Stripe SDK'),
    ('shipment-ingest', 937, '2026-01-07', 'mei', 'tomasz', False, 'Add dead-letter queue for unparseable EDI 214 messages'),
    ('infra-terraform', 1536, '2026-01-08', 'marek', 'aisha', False, 'Enable S3 Object Lock on log-archive bucket'),
    ('web-app', 2266, '2026-01-08', 'oliver', 'aisha', False, 'Warn idle users before session timeout'),
    ('billing-service', 353, '2026-01-12', 'oliver', 'fatima', False, 'Read Stripe restricted key from Vault path with rotation metadata'),
    ('shipment-ingest', 941, '2026-01-13', 'mei', 'aisha', False, 'Support AIS vessel position feed v3'),
    ('k8s-manifests', 1195, '2026-01-14', 'marek', 'sven', False, 'Upgrade Argo CD to patched release'),
    ('ci-workflows', 90, '2026-01-16', 'marek', 'sven', False, 'Require signed commits status check'),
    ('shipment-ingest', 946, '2026-01-19', 'mei', 'tomasz', False, 'Fix consumer lag alert threshold'),
    ('shipment-ingest', 950, '2026-01-20', 'jonas', 'mei', False, 'Drop raw payload bodies from debug logs'),
    ('billing-service', 357, '2026-01-21', 'aisha', 'fatima', False, 'Remove card-brand field from invoice PDF'),
    ('dbt-analytics', 586, '2026-01-22', 'mei', 'oliver', False, 'Add emissions intensity per tonne-km model'),
    ('infra-terraform', 1539, '2026-01-22', 'marek', 'aisha', False, 'Add SCP denying iam:CreateAccessKey outside break-glass'),
    ('notification-service', 266, '2026-01-23', 'oliver', 'tomasz', False, 'Slack notifications for customer admins'),
    ('web-app', 2269, '2026-01-27', 'aisha', 'oliver', False, 'Add content security policy in report-only mode'),
    ('shipment-ingest', 955, '2026-01-28', 'jonas', 'tomasz', False, 'Handle DST transitions in carrier local timestamps'),
    ('infra-terraform', 1544, '2026-01-29', 'marek', 'mei', False, 'Restrict SFTP security group to registered customer ranges'),
    ('sftp-gateway', 136, '2026-01-29', 'oliver', 'fatima', False, 'Fix timeout on large file uploads'),
    ('carrier-connectors', 690, '2026-01-30', 'oliver', 'fatima', False, 'Remove connector for discontinued Baltic carrier feed'),
    ('notification-service', 270, '2026-02-03', 'oliver', 'sven', False, 'Rate-limit SMS alerts per tenant'),
    ('k8s-manifests', 1204, '2026-02-04', 'sven', 'aisha', False, 'Stream EKS audit logs to Datadog'),
    ('dbt-analytics', 590, '2026-02-05', 'mei', 'marek', False, 'Remove deprecated lane_cost_v1 model'),
    ('sftp-gateway', 143, '2026-02-09', 'oliver', 'tomasz', False, 'Scan uploaded files with ClamAV before ingest'),
    ('k8s-manifests', 1207, '2026-02-10', 'sven', 'oliver', False, 'Drop NET_RAW capability from all workloads'),
    ('dbt-analytics', 594, '2026-02-11', 'mei', 'fatima', False, 'Add freshness checks on raw sources'),
    ('dbt-analytics', 597, '2026-02-12', 'mei', 'marek', False, 'Add carrier on-time performance mart'),
    ('sftp-gateway', 145, '2026-02-12', 'marek', 'sven', True, 'Rebuild SFTP image on patched OpenSSH base'),
    ('sftp-gateway', 152, '2026-02-16', 'oliver', 'sven', False, 'Per-customer source IP allow-list'),
    ('eta-engine', 410, '2026-02-17', 'aisha', 'marek', False, 'Fall back to schedule-based ETA when AIS data is stale'),
    ('infra-terraform', 1547, '2026-02-18', 'fatima', 'mei', False, 'Grant AWS Backup use of the eu-west-1 vault KMS key'),
    ('sftp-gateway', 159, '2026-02-18', 'oliver', 'mei', False, 'Delete processed files after 7 days'),
    ('k8s-manifests', 1211, '2026-02-19', 'fatima', 'sven', False, 'Add PodDisruptionBudget for eta-engine'),
    ('carrier-connectors', 694, '2026-02-20', 'aisha', 'marek', False, 'Time out carrier polling after 20 seconds'),
    ('infra-terraform', 1554, '2026-02-24', 'marek', 'sven', False, 'Create isolated recovery account for restore tests'),
    ('k8s-manifests', 1215, '2026-02-24', 'sven', 'tomasz', False, 'Set resource limits for notification-service'),
    ('sftp-gateway', 166, '2026-02-25', 'marek', 'aisha', False, 'Per-customer chroot directories with quota'),
    ('shipment-ingest', 958, '2026-02-26', 'jonas', 'aisha', False, 'Validate UN/LOCODE values on ingest'),
    ('eta-engine', 419, '2026-02-27', 'aisha', 'tomasz', False, 'Retrain ETA model features with Q4 2025 transit data'),
    ('notification-service', 272, '2026-03-02', 'aisha', 'marek', False, 'Template for delivery exception alerts'),
    ('web-app', 2273, '2026-03-03', 'oliver', 'marek', False, 'Enforce content security policy after report-only period'),
    ('carrier-connectors', 699, '2026-03-04', 'jonas', 'tomasz', False, 'Verify HMAC signatures on carrier webhooks'),
    ('ci-workflows', 94, '2026-03-04', 'tomasz', 'oliver', True, 'Mask Vault-injected values in job logs and remove debug echo'),
    ('web-app', 2277, '2026-03-05', 'aisha', 'mei', False, 'Upgrade Next.js to patched minor release'),
    ('sftp-gateway', 170, '2026-03-06', 'oliver', 'mei', False, 'Move Transfer Family server to the 2025-03 security policy'),
    ('billing-service', 359, '2026-03-09', 'oliver', 'tomasz', False, 'Send dunning e-mails through notification-service'),
    ('billing-service', 362, '2026-03-10', 'aisha', 'sven', False, 'Add VAT reverse-charge wording for EU customers'),
    ('ci-workflows', 101, '2026-03-10', 'marek', 'fatima', False, 'Run gitleaks over CI job logs nightly'),
    ('api-gateway', 1818, '2026-03-12', 'jonas', 'marek', False, 'Log request ids on upstream timeouts'),
    ('dbt-analytics', 602, '2026-03-12', 'mei', 'sven', False, 'Add tests for null consignment references'),
    ('api-gateway', 1821, '2026-03-16', 'aisha', 'marek', False, 'Enforce scope check on carrier scorecard export'),
    ('k8s-manifests', 1219, '2026-03-17', 'marek', 'oliver', False, 'Bump cert-manager to 1.17 patch release'),
    ('infra-terraform', 1558, '2026-03-18', 'marek', 'aisha', False, 'Upgrade RDS PostgreSQL 14 to 16 (platform-core, shipment-events)'),
    ('ci-workflows', 105, '2026-03-19', 'tomasz', 'oliver', False, 'Generate SBOM with syft for every image build'),
    ('eta-engine', 423, '2026-03-19', 'aisha', 'mei', False, 'Remove unused feature flags from 2025 rollout'),
    ('web-app', 2279, '2026-03-19', 'aisha', 'oliver', False, 'Remove legacy Metabase embed links'),
    ('api-gateway', 1828, '2026-03-24', 'oliver', 'mei', False, 'Add per-tenant rate limit headers to API responses'),
    ('api-gateway', 1830, '2026-03-24', 'aisha', 'fatima', False, 'Remove deprecated /v1/tracking endpoint'),
    ('carrier-connectors', 706, '2026-03-26', 'oliver', 'sven', False, 'Add connector for DPD Poland tracking API'),
    ('notification-service', 276, '2026-03-27', 'oliver', 'aisha', False, 'Sign and retry webhook deliveries with backoff'),
    ('web-app', 2282, '2026-03-27', 'oliver', 'tomasz', False, 'Mask consignee e-mail in shared tracking links'),
    ('carrier-connectors', 713, '2026-03-31', 'oliver', 'sven', False, 'Map new status codes from PostNL v4 feed'),
    ('web-app', 2291, '2026-04-01', 'oliver', 'fatima', False, 'Show SSO enforcement status on customer admin page'),
    ('billing-service', 366, '2026-04-02', 'oliver', 'fatima', False, 'Audit log for plan changes by customer admins'),
    ('api-gateway', 1835, '2026-04-07', 'oliver', 'aisha', False, 'Return 422 with field errors for malformed shipment payloads'),
    ('carrier-connectors', 716, '2026-04-09', 'aisha', 'tomasz', False, 'Alert on connector authentication failures'),
    ('infra-terraform', 1561, '2026-04-09', 'fatima', 'fatima', True, 'Increase shipment-events RDS max storage to 4 TB'),
    ('ci-workflows', 112, '2026-04-10', 'marek', 'sven', False, 'Use OIDC federation for AWS in the release workflow'),
    ('shipment-ingest', 963, '2026-04-13', 'mei', 'aisha', False, 'Retry S3 archive writes with exponential backoff'),
    ('k8s-manifests', 1223, '2026-04-15', 'fatima', 'marek', False, 'Set readOnlyRootFilesystem on ingest-worker'),
    ('api-gateway', 1844, '2026-04-16', 'aisha', 'tomasz', False, 'Upgrade Go toolchain to 1.25.6'),
    ('notification-service', 283, '2026-04-17', 'aisha', 'marek', False, 'Unsubscribe link in shipment alert e-mails'),
    ('dbt-analytics', 604, '2026-04-20', 'mei', 'sven', False, 'Rename customer_dim to tenant_dim'),
    ('dbt-analytics', 606, '2026-04-21', 'mei', 'tomasz', False, 'Tag confidential columns for masking policies'),
    ('carrier-connectors', 725, '2026-04-22', 'aisha', 'sven', False, 'Honour Retry-After on 429 responses from carrier APIs'),
    ('infra-terraform', 1565, '2026-04-23', 'marek', 'oliver', False, 'Tag S3 buckets with classification'),
    ('shipment-ingest', 966, '2026-04-23', 'aisha', 'mei', False, 'Increase MSK consumer batch size to 500'),
    ('shipment-ingest', 975, '2026-04-24', 'mei', 'aisha', False, 'Partition raw-event archive by tenant and day'),
    ('api-gateway', 1849, '2026-04-27', 'aisha', 'sven', False, 'Paginate /v2/shipments with opaque cursors'),
    ('billing-service', 371, '2026-04-28', 'oliver', 'aisha', False, 'Handle Stripe webhook idempotency keys'),
    ('notification-service', 288, '2026-04-29', 'oliver', 'aisha', False, 'Upgrade e-mail provider SDK'),
    ('carrier-connectors', 727, '2026-05-01', 'oliver', 'marek', False, 'Normalise weight units in DHL Freight events'),
    ('sftp-gateway', 177, '2026-05-05', 'marek', 'sven', False, 'Reject password authentication for SFTP users'),
    ('eta-engine', 430, '2026-05-06', 'aisha', 'sven', False, 'Add port congestion factor to ocean ETA'),
    ('infra-terraform', 1569, '2026-05-08', 'sven', 'fatima', False, 'Enable GuardDuty EKS runtime monitoring'),
    ('dbt-analytics', 611, '2026-05-11', 'mei', 'oliver', False, 'Make shipment_events_daily incremental'),
    ('api-gateway', 1856, '2026-05-12', 'oliver', 'sven', False, 'Bump grpc-go to patched release'),
    ('dbt-analytics', 616, '2026-05-13', 'mei', 'tomasz', False, 'Restrict customer share views with tenant row access policy'),
    ('web-app', 2296, '2026-05-14', 'aisha', 'marek', False, 'Keyboard navigation for the filters panel'),
    ('eta-engine', 439, '2026-05-15', 'aisha', 'sven', False, 'Add holiday calendars for PL and NL road freight'),
    ('billing-service', 374, '2026-05-18', 'oliver', 'sven', False, 'Add usage-based invoice line for API calls'),
    ('web-app', 2301, '2026-05-20', 'aisha', 'mei', False, 'Add carbon emissions column to shipment list export'),
    ('api-gateway', 1865, '2026-05-21', 'oliver', 'marek', False, 'Tighten CORS allow-list for app.northwind.example'),
    ('eta-engine', 442, '2026-05-22', 'mei', 'oliver', False, 'Pin numpy and scikit-learn versions in model image'),
    ('shipment-ingest', 978, '2026-05-26', 'mei', 'oliver', False, 'Deduplicate carrier events by source event id'),
    ('ci-workflows', 117, '2026-05-28', 'marek', 'oliver', False, 'Pin third-party actions to full commit hashes'),
    ('sftp-gateway', 182, '2026-05-28', 'oliver', 'marek', False, 'Publish SFTP host key fingerprints on the status page'),
    ('eta-engine', 445, '2026-06-01', 'mei', 'fatima', False, 'Cache lane statistics in Redis with 15-minute TTL'),
    ('api-gateway', 1869, '2026-06-02', 'aisha', 'oliver', True, 'Reject webhook URLs resolving to private address ranges'),
    ('notification-service', 295, '2026-06-03', 'oliver', 'fatima', False, 'Remove consignee phone numbers from notification logs'),
    ('carrier-connectors', 732, '2026-06-04', 'aisha', 'fatima', False, 'Switch Maersk connector to OAuth client-credentials flow'),
    ('eta-engine', 450, '2026-06-04', 'aisha', 'mei', False, 'Reduce p95 latency of batch ETA recalculation'),
    ('eta-engine', 452, '2026-06-08', 'aisha', 'tomasz', False, 'Expose model version in ETA response metadata'),
    ('notification-service', 298, '2026-06-09', 'aisha', 'tomasz', False, 'Fix duplicate alerts on status regression'),
    ('eta-engine', 455, '2026-06-11', 'aisha', 'tomasz', False, 'Guard against negative dwell times'),
    ('k8s-manifests', 1227, '2026-06-12', 'sven', 'oliver', False, 'Deny cross-namespace traffic in ingest with network policy'),
    ('infra-terraform', 1572, '2026-06-15', 'marek', 'tomasz', False, 'Enable Inspector scanning for Lambda functions'),
    ('billing-service', 379, '2026-06-17', 'aisha', 'mei', False, 'Fix proration for mid-month plan changes'),
    ('notification-service', 300, '2026-06-17', 'oliver', 'mei', False, 'Batch digest e-mails for high-volume tenants'),
    ('billing-service', 381, '2026-06-19', 'aisha', 'mei', False, 'Reconcile invoice totals with usage exports nightly'),
    ('carrier-connectors', 735, '2026-06-19', 'oliver', 'tomasz', False, 'Reload EDI gateway client certificate without restart'),
    ('k8s-manifests', 1234, '2026-06-23', 'sven', 'mei', False, 'Raise HPA max replicas for api-gateway to 24'),
    ('k8s-manifests', 1237, '2026-06-25', 'fatima', 'sven', False, 'Move Vault agent injector to dedicated node group'),
    ('sftp-gateway', 191, '2026-06-26', 'marek', 'oliver', False, 'Send file transfer events to Datadog'),
    ('web-app', 2310, '2026-06-26', 'oliver', 'marek', False, 'Fix timezone display in milestone timeline'),
    ('notification-service', 307, '2026-06-30', 'oliver', 'marek', False, 'Align SPF and DKIM for shipment alert e-mails'),
]

# The joiner, mover and leaver tickets the pack's records name (key, event day, event,
# department, approver, summary): what populations/AC-03.csv listed before sources.
JML = [
    ('IT-2303', '2026-01-05', 'joiner', 'Support', 'ines', 'Joiner: Customer Support Specialist'),
    ('IT-2312', '2026-01-12', 'joiner', 'Data', 'mei', 'Joiner: Senior Data Engineer'),
    ('IT-2318', '2026-01-16', 'leaver', 'Support', 'lucia', 'Leaver: Customer Support Specialist'),
    ('IT-2322', '2026-01-19', 'joiner', 'Sales', 'helen', 'Joiner: Account Executive (Benelux)'),
    ('IT-2331', '2026-01-26', 'mover', 'Sales', 'helen', 'Mover: Support Specialist to Solutions Engineer'),
    ('IT-2335', '2026-01-30', 'leaver', 'Marketing', 'lucia', 'Leaver: Marketing Manager'),
    ('IT-2338', '2026-02-02', 'joiner', 'SRE', 'sven', 'Joiner: Site Reliability Engineer'),
    ('IT-2345', '2026-02-09', 'joiner', 'Platform', 'oliver', 'Joiner: Frontend Engineer'),
    ('IT-2348', '2026-02-16', 'joiner', 'Data', None, 'Joiner: Contractor, analytics engineer (agency)'),
    ('IT-2351', '2026-02-16', 'joiner', 'Support', 'ines', 'Joiner: Customer Support Specialist (Polish)'),
    ('IT-2360', '2026-02-23', 'mover', 'SRE', 'sven', 'Mover: Backend Engineer to Site Reliability Engineer'),
    ('IT-2364', '2026-02-27', 'leaver', 'Sales', 'lucia', 'Leaver: Account Executive (UK)'),
    ('IT-2371', '2026-03-02', 'joiner', 'Security', 'amara', 'Joiner: Security Engineer (GRC)'),
    ('IT-2377', '2026-03-13', 'leaver', 'Platform', 'lucia', 'Leaver: Senior Backend Engineer, Platform'),
    ('IT-2384', '2026-03-16', 'joiner', 'Platform', 'oliver', 'Joiner: Backend Engineer'),
    ('IT-2396', '2026-03-23', 'mover', 'Data', 'mei', 'Mover: Data Analyst to Analytics Engineer'),
    ('IT-2405', '2026-03-31', 'leaver', 'Platform', 'lucia', 'Leaver: Frontend Engineer'),
    ('IT-2414', '2026-04-07', 'joiner', 'People', 'lucia', 'Joiner: People Operations Coordinator'),
    ('IT-2421', '2026-04-13', 'mover', 'Sales', None, 'Mover: Customer Success Manager to Account Manager'),
    ('IT-2428', '2026-04-20', 'joiner', 'Sales', 'helen', 'Joiner: Solutions Engineer'),
    ('IT-2440', '2026-04-24', 'leaver', 'Platform', 'lucia', 'Leaver: Contractor, QA engineer (agency)'),
    ('IT-2449', '2026-05-05', 'joiner', 'Platform', 'oliver', 'Joiner: Backend Engineer (Integrations)'),
    ('IT-2455', '2026-05-11', 'mover', 'Security', 'amara', 'Mover: Site Reliability Engineer to Security Engineer (Detection)'),
    ('IT-2458', '2026-05-15', 'leaver', 'Sales', 'lucia', 'Leaver: Sales Development Representative'),
    ('IT-2462', '2026-05-18', 'joiner', 'Finance', 'helen', 'Joiner: Financial Controller'),
    ('IT-2468', '2026-05-29', 'leaver', 'Data', None, 'Leaver: Data Analyst'),
    ('IT-2474', '2026-06-01', 'joiner', 'Data', 'mei', 'Joiner: Data Scientist (ETA models)'),
    ('IT-2486', '2026-06-08', 'mover', 'Platform', 'kwame', 'Mover: Frontend Engineer to Engineering Manager'),
    ('IT-2492', '2026-06-15', 'joiner', 'Support', 'ines', 'Joiner: Customer Success Manager'),
    ('IT-2499', '2026-06-19', 'leaver', 'Support', 'lucia', 'Leaver: Customer Support Specialist'),
]

HOLIDAYS = {date(2026, 1, 1), date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 4), date(2026, 5, 25)}


def working_days(start, end):
    out, d = [], start
    while d <= end:
        if d.weekday() < 5 and d not in HOLIDAYS:
            out.append(d)
        d += timedelta(days=1)
    return out


WORKING = working_days(START, END)


def at(d, lo=8, hi=18):
    return datetime(d.year, d.month, d.day, rng.randrange(lo, hi), rng.randrange(60), rng.randrange(60), tzinfo=timezone.utc)


def stamp(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------------------------
# GitHub: gh pr list --json number,title,url,author,createdAt,mergedAt,mergedBy,baseRefName,
#         reviews,headRefName,reviewDecision,labels

def node_id(uid):
    return base64.b64encode(f"04:User{uid}".encode()).decode()


def account(pid, admin=False):
    login, name, uid = (ADMIN if admin else LOGIN)[pid]
    return {"id": node_id(uid), "is_bot": False, "login": login, "name": name}


def bot(app):
    return {"is_bot": True, "login": f"app/{app}"}


ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def review(login, state, t, body=""):
    """A review in gh's struct order (api/queries_pr_review.go)."""
    return {
        "id": "PRR_kwDOKq" + "".join(rng.choice(ALPHABET) for _ in range(8)),
        "author": {"login": login},
        "authorAssociation": "NONE" if login == "github-actions" else "MEMBER",
        "body": body,
        "submittedAt": stamp(t),
        "includesCreatedEdit": False,
        "reactionGroups": [],
        "state": state,
        "commit": {"oid": "%040x" % rng.getrandbits(160)},
    }


def label(name, color, description=""):
    return {"id": "LA_kwDOKq" + name.upper().replace("-", "")[:8], "name": name, "description": description, "color": color}


EMERGENCY = label("emergency-change", "b60205", "Merged before review under CM-02")
DEPENDENCIES = label("dependencies", "0366d6", "Pull requests that update a dependency file")

SUBJECTS = {
    "web-app": ["shipment timeline", "carrier scorecard", "ETA widget", "report builder", "user settings", "map view", "export dialog", "login page"],
    "api-gateway": ["webhook delivery", "rate limiter", "API key scopes", "OpenAPI spec", "pagination", "request logging", "tenant routing"],
    "shipment-ingest": ["EDI 214 parser", "AIS feed", "telematics adapter", "event dedup", "dead-letter replay", "schema registry client"],
    "carrier-connectors": ["Maersk adapter", "DHL tracking client", "DSV webhook", "Kuehne+Nagel poller", "retry policy", "carrier credentials loader"],
    "eta-engine": ["port congestion model", "ETA feature pipeline", "model registry client", "prediction cache", "dwell-time estimator"],
    "billing-service": ["invoice run", "usage metering", "Stripe webhook handler", "VAT rules", "credit notes"],
    "notification-service": ["email templates", "SMS provider", "digest scheduler", "delivery exception alerts", "unsubscribe links"],
    "sftp-gateway": ["SFTP user provisioning", "IP allow-list", "upload scanner", "host key config"],
    "infra-terraform": ["RDS parameter group", "S3 lifecycle rules", "WAF rules", "IAM role for IRSA", "VPC endpoints", "KMS key policy", "CloudFront cache policy"],
    "k8s-manifests": ["ingest-worker deployment", "HPA limits", "network policies", "PodDisruptionBudgets", "Argo CD application", "resource requests"],
    "dbt-analytics": ["carrier performance model", "emissions mart", "shipment facts", "freshness tests", "customer usage model", "snapshot of tariffs"],
    "ci-workflows": ["reusable build workflow", "CodeQL job", "image signing step", "cache keys", "gitleaks job"],
}
VERBS = ["Add", "Fix", "Refactor", "Speed up", "Harden", "Simplify", "Document", "Test", "Clean up", "Tune"]
DEPS = {
    "dependabot": ["golang.org/x/net", "github.com/jackc/pgx/v5", "vite", "@sentry/react", "google.golang.org/grpc", "axios", "github.com/aws/aws-sdk-go-v2"],
    "renovate": ["helm release argo-cd", "terraform aws provider", "actions/checkout action", "helm release cert-manager", "docker.io/bitnami/redis image"],
}
RENOVATE_REPOS = {"infra-terraform", "k8s-manifests", "ci-workflows"}


def version():
    return f"{rng.randint(0, 9)}.{rng.randint(0, 40)}.{rng.randint(0, 20)}"


def branch(login, title):
    initials = "".join(w[0] for w in login.split("-"))[:3]
    slug = "-".join(title.lower().replace("(", "").replace(")", "").split()[:4])
    return f"{initials}/{slug}"


def pull(repo, number, merged, author, approver, title, kind="normal"):
    """One merged pull request. `author` and `approver` are person ids (or a bot app name for
    the author); `kind` plants the cases the module docstring lists."""
    created = merged - timedelta(minutes=rng.randint(40, 4 * 24 * 60))
    reviews, labels = [], []
    merger = account(author) if author in LOGIN else account(approver)
    head = branch(LOGIN[author][0] if author in LOGIN else author, title)
    approved_at = created + (merged - created) * rng.uniform(0.4, 0.95)
    if author in ("dependabot", "renovate"):
        labels.append(DEPENDENCIES)
        head = f"{author}/" + title.split()[1 if author == "dependabot" else 2].replace("/", "-").lower()
    if kind == "normal":
        if rng.random() < 0.15:
            reviews.append(review(LOGIN[approver][0], "COMMENTED", created + (approved_at - created) * 0.3, "A couple of questions inline."))
        if rng.random() < 0.08:
            reviews.append(review(LOGIN[approver][0], "CHANGES_REQUESTED", created + (approved_at - created) * 0.5, "Needs a test for the empty case."))
        reviews.append(review(LOGIN[approver][0], "APPROVED", approved_at))
        if rng.random() < 0.04:
            # a second approval submitted after the merge: clean
            other = rng.choice([p for p in ("oliver", "sven", "tomasz", "marek") if p not in (author, approver)])
            reviews.append(review(LOGIN[other][0], "APPROVED", merged + timedelta(hours=rng.randint(1, 20)), "Late LGTM."))
        elif rng.random() < 0.03:
            reviews.append(review(LOGIN[approver][0], "COMMENTED", merged + timedelta(hours=rng.randint(1, 20)), "Follow-up in the next PR, please."))
    elif kind == "dismissed":
        # an approval dismissed by a new push, then a fresh approval before the merge: clean
        first = created + (approved_at - created) * 0.3
        reviews.append(review(LOGIN[approver][0], "DISMISSED", first, "LGTM"))
        reviews.append(review(LOGIN[approver][0], "APPROVED", approved_at, "Re-approved after the rebase."))
    elif kind == "self":
        # approved with the author's own administrator account
        reviews.append(review(ADMIN[author][0], "APPROVED", approved_at))
    elif kind == "bot-approval":
        reviews.append(review("github-actions", "APPROVED", created + timedelta(minutes=2)))
        merger = account(approver)
    elif kind == "emergency":
        labels.append(EMERGENCY)
        created = merged - timedelta(minutes=rng.randint(15, 50))
        head = "hotfix/" + head.split("/", 1)[1]
    pr = {
        "author": account(author) if author in LOGIN else bot(author),
        "baseRefName": "main",
        "createdAt": stamp(created),
        "headRefName": head,
        "labels": labels,
        "mergedAt": stamp(merged),
        "mergedBy": merger,
        "number": number,
        "reviewDecision": "APPROVED",
        "reviews": reviews,
        "title": title,
        "url": f"{HOST}/{repo}/pull/{number}",
    }
    return pr


# The emergency changes: merged before review (CM-02), approved afterwards.
EMERGENCIES = {
    ("sftp-gateway", 145): ("2026-02-12T16:40:12Z", [("sven", False, "2026-02-13T09:12:40Z", "Retrospective review: image diff and CVE fix verified.")]),
    ("ci-workflows", 94): ("2026-03-04T11:52:03Z", [("oliver", False, "2026-03-05T10:04:51Z", "Retrospective review for INC-2026-007.")]),
    ("infra-terraform", 1561): ("2026-04-09T03:18:27Z", [
        ("fatima", True, "2026-04-10T08:02:19Z", "Retrospective approval (INC-2026-011)."),
        ("oliver", False, "2026-04-14T10:31:07Z", "Independent review after the fact: no findings."),
    ]),
    ("api-gateway", 1869): ("2026-06-02T19:05:44Z", [("oliver", False, "2026-06-03T08:47:15Z", "Retrospective review: SSRF guard looks right.")]),
}


def parse_utc(s):
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def github():
    written = {}
    for repo, (extra, bot_share) in REPOS.items():
        recorded = [r for r in RECORDED if r[0] == repo]
        authors = sorted({r[3] for r in recorded})
        reviewers = sorted({r[4] for r in recorded} | {"oliver"})
        prs = []
        for _, number, day, author, approver, emergency, title in recorded:
            d = date.fromisoformat(day)
            if emergency:
                merged_s, approvals = EMERGENCIES[(repo, number)]
                merged = parse_utc(merged_s)
                pr = pull(repo, number, merged, author, approver, title, "emergency")
                pr["reviews"] = [review((ADMIN if admin else LOGIN)[who][0], "APPROVED", parse_utc(t), body) for who, admin, t, body in approvals]
            else:
                pr = pull(repo, number, at(d), author, approver, title)
            prs.append(pr)
        known = {pr["number"] for pr in prs}
        planted = {
            ("k8s-manifests", 0): ("self", "sven", date(2026, 5, 21), "Raise the ingest-worker HPA max replicas to 40"),
            ("web-app", 0): ("bot-approval", "dependabot", date(2026, 2, 17), "Bump vite from 5.4.11 to 5.4.14"),
            ("shipment-ingest", 0): ("dismissed", None, date(2026, 4, 22), "Retry AIS feed reconnects with jittered backoff"),
            ("api-gateway", 0): ("dismissed", None, date(2026, 1, 28), "Validate tenant routing headers before lookup"),
        }
        new = []
        for i in range(extra):
            d = rng.choice(WORKING)
            kind, author, title = "normal", None, None
            if (repo, i) in planted:
                kind, author, d, title = planted[(repo, i)]
            if author is None:
                if rng.random() < bot_share:
                    author = "renovate" if repo in RENOVATE_REPOS else "dependabot"
                else:
                    pool = [a for a in authors if a != "jonas" or d <= JONAS_LEFT] or ["oliver"]
                    author = rng.choice(pool)
            if title is None:
                if author == "renovate":
                    title = f"chore(deps): update {rng.choice(DEPS['renovate'])} to v{version()}"
                elif author == "dependabot":
                    title = f"Bump {rng.choice(DEPS['dependabot'])} from {version()} to {version()}"
                else:
                    title = f"{rng.choice(VERBS)} {rng.choice(SUBJECTS[repo])}"
            choices = [r for r in reviewers if r != author and (r != "jonas" or d <= JONAS_LEFT)]
            approver = rng.choice(choices or ["oliver"])
            new.append((at(d), author, approver, title, kind))
        # Numbers: a pull request's number comes from its creation; keep the recorded ones and
        # give each other one the free number nearest to where its merge day falls between them.
        points = sorted((parse_utc(p["mergedAt"]).timestamp(), p["number"]) for p in prs)
        per_day = max(2.0, (points[-1][1] - points[0][1] + extra) / max(1.0, (points[-1][0] - points[0][0]) / 86400))
        taken = set(known)
        for merged, author, approver, title, kind in sorted(new, key=lambda n: n[0]):
            t = merged.timestamp()
            before = [pt for pt in points if pt[0] <= t]
            after = [pt for pt in points if pt[0] > t]
            if before and after:
                (t0, n0), (t1, n1) = before[-1], after[0]
                x = n0 + (n1 - n0) * (t - t0) / (t1 - t0)
            elif before:
                x = before[-1][1] + (t - before[-1][0]) / 86400 * per_day
            else:
                x = after[0][1] - (after[0][0] - t) / 86400 * per_day
            number = max(1, round(x))
            step = 0
            while number in taken or number < 1:
                step += 1
                number = round(x) + (step + 1) // 2 * (1 if step % 2 else -1)
            taken.add(number)
            prs.append(pull(repo, number, merged, author, approver, title, kind))
        prs.sort(key=lambda p: p["number"], reverse=True)
        path = ROOT / "sources" / "github" / f"{repo}-2026h1.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(prs, ensure_ascii=False, separators=(",", ":")) + "\n"
        path.write_text(text, encoding="utf-8")
        written[repo] = len(prs)
    return written


# ---------------------------------------------------------------------------------------------
# Jira: Export CSV (all fields) of project IT (Jira Service Management), joiners, movers,
# leavers and access requests. Dates in the site's default format (dd/MMM/yy h:mm a).

JIRA_NAME = {
    "amara": "Amara Okafor", "kwame": "Kwame Asante", "helen": "Helen Marsh", "lucia": "Lucía Fernández",
    "oliver": "Oliver Grant", "sven": "Sven Lindqvist", "mei": "Mei Chen", "raj": "Raj Patel",
    "ines": "Inês Carvalho", "tomasz": "Tomasz Nowak", "zofia": "Zofia Kowalczyk", "dmitri": "Dmitri Volkov",
}
DEPARTMENT_APPROVER = {"Support": "ines", "Data": "mei", "Sales": "helen", "Marketing": "lucia", "People": "lucia",
                       "SRE": "sven", "Platform": "oliver", "Security": "amara", "Finance": "helen"}
SYSTEM_OWNER = [  # (system, what is asked, approver)
    ("Snowflake", "ANALYST role", "mei"), ("Snowflake", "SUPPORT_UNMASKED role (30 days)", "mei"),
    ("Datadog", "Standard role", "sven"), ("AWS", "ProdDataRead permission set", "sven"),
    ("PagerDuty", "responder seat", "sven"), ("GitHub", "write access to eta-engine", "oliver"),
    ("GitHub", "membership of the data-platform team", "oliver"), ("Vault", "read on secret/data/partners", "tomasz"),
    ("HiBob", "reports viewer", "lucia"), ("Stripe", "read-only dashboard", "helen"),
    ("Zendesk", "light agent seat", "ines"), ("Okta", "Help Desk administrator", "amara"),
]
REQUESTERS = ["Ewa Mazur", "Liam Doyle", "Sanne de Vries", "Ciarán Walsh", "Piotr Wiśniewski", "Hannah Fischer",
              "Tom Baker", "Niamh Kelly", "Jakub Lewandowski", "Femke Janssen", "Ola Nowicka", "Rory Byrne"]
IT_AGENTS = ["Raj Patel", "Liam Doyle"]
ACCOUNT_ID = {}


def account_id(name):
    if name not in ACCOUNT_ID:
        ACCOUNT_ID[name] = "712020:%08x-%04x-4%03x-%04x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12), 0x8000 | rng.getrandbits(14), rng.getrandbits(48))
    return ACCOUNT_ID[name]


def jira_time(t):
    return t.strftime("%d/%b/%y ") + str(int(t.strftime("%I"))) + t.strftime(":%M %p")


def jira_day(d):
    return d.strftime("%d/%b/%y")


JIRA_HEADER = ["Summary", "Issue key", "Issue id", "Issue Type", "Status", "Project key", "Project name", "Project type",
               "Project lead", "Priority", "Resolution", "Assignee", "Reporter", "Creator", "Created", "Updated",
               "Last Viewed", "Resolved", "Due Date", "Labels", "Labels", "Description", "Environment", "Watchers",
               "Watchers", "Original Estimate", "Remaining Estimate", "Time Spent", "Custom field (Approver)",
               "Custom field (Department)", "Custom field (Request Type)", "Custom field (Start date)",
               "Custom field (Satisfaction rating)", "Comment", "Comment", "Status Category", "Status Category Changed"]

# Tickets resolved after the five-day SLA (key: hours from creation to resolution).
SLA_BREACHES = {"IT-2421": 8 * 24 + 5, "IT-2367": 6 * 24 + 4, "IT-2463": 8 * 24 + 1}


EXPORTED = datetime(2026, 7, 1, 8, 0, tzinfo=timezone.utc)


def ticket(key, kind, summary, created, resolved, approver, reporter, department, start=None, description=""):
    if resolved >= EXPORTED:
        # nothing is resolved after the export was taken
        resolved = created + timedelta(hours=2, minutes=rng.randrange(60))
    assignee = "Raj Patel" if kind != "Access Request" else rng.choice(IT_AGENTS)
    comment1 = f"{jira_time(created + timedelta(minutes=rng.randint(5, 90)))};{account_id(JIRA_NAME[approver])};Approved."
    comment2 = f"{jira_time(resolved - timedelta(minutes=rng.randint(1, 20)))};{account_id(assignee)};Done: access matches the request.\nClosing."
    labels = {"Joiner": ["jml", "joiner"], "Mover": ["jml", "mover"], "Leaver": ["jml", "leaver"]}.get(kind, ["access", ""])
    return [summary, key, str(14000 + int(key.split("-")[1])), kind, "Done", "IT", "IT Service Desk", "service_desk",
            "Raj Patel", "Medium" if kind != "Leaver" else "High", "Done", assignee, reporter, reporter,
            jira_time(created), jira_time(resolved + timedelta(minutes=2)), "", jira_time(resolved), "",
            labels[0], labels[1], description, "", reporter, JIRA_NAME[approver], "", "", "", JIRA_NAME[approver],
            department, {"Joiner": "New starter", "Mover": "Role change", "Leaver": "Leaver"}.get(kind, "Request access"),
            jira_day(start) if start else "", "", comment1, comment2, "Done", jira_time(resolved)]


def jira():
    rows = []
    used = {k for k, *_ in JML}
    for key, day, event, department, approver, summary in JML:
        d = date.fromisoformat(day)
        approver = approver or DEPARTMENT_APPROVER[department]
        if event == "joiner":
            start = d
            created = datetime(d.year, d.month, d.day, 6, 0, tzinfo=timezone.utc) - timedelta(hours=rng.randint(30, 90))
            resolved = datetime(d.year, d.month, d.day, rng.randint(7, 9), rng.randrange(60), tzinfo=timezone.utc)
            description = f"New starter from HiBob.\nStart date: {jira_day(d)}\nRole profile: {department}\nLaptop: MacBook Pro 14"
        elif event == "leaver":
            start = None
            created = datetime(d.year, d.month, d.day, 17, rng.randrange(60), tzinfo=timezone.utc)
            resolved = created + timedelta(hours=rng.randint(14, 20))
            description = f"Termination from HiBob. Last working day: {jira_day(d)}.\nOkta deactivation is automatic; confirm the remaining systems and the laptop return."
        else:
            start = None
            created = at(d, 8, 11)
            resolved = created + timedelta(hours=rng.randint(20, 90))
            description = "Role change from HiBob.\nRemove the previous role's groups within five business days."
        if key in SLA_BREACHES:
            resolved = created + timedelta(hours=SLA_BREACHES[key], minutes=rng.randrange(60))
        rows.append((created, ticket(key, event.capitalize(), summary, created, resolved, approver, "Automation for Jira", department, start, description)))
    # Access requests outside the role profile, between the JML tickets' keys, and three JML
    # tickets of December 2025 (the filter starts on 1 December: outside the period).
    numbers = sorted(set(range(2290, 2512)) - {int(k.split("-")[1]) for k in used})
    picked = sorted(rng.sample([n for n in numbers if n >= 2300], 96))
    days = sorted(rng.choice(WORKING) for _ in picked)
    for n, d in zip(picked, days):
        system, what, approver = rng.choice(SYSTEM_OWNER)
        requester = rng.choice(REQUESTERS)
        key = f"IT-{n}"
        created = at(d)
        resolved = created + timedelta(hours=rng.randint(1, 70))
        if key in SLA_BREACHES:
            resolved = created + timedelta(hours=SLA_BREACHES[key], minutes=rng.randrange(60))
        summary = f"{system}: {what} for {requester}"
        description = f"Business reason: {rng.choice(['on-call rota', 'customer escalation', 'quarterly reporting', 'new project', 'covering for a colleague'])}.\nRequested through the portal."
        rows.append((created, ticket(key, "Access Request", summary, created, resolved, approver, requester, "", None, description)))
    for n, (title, approver) in zip([2291, 2295, 2298], [("Joiner: Customer Support Specialist", "ines"), ("Leaver: Backend Engineer", "lucia"), ("Mover: QA Engineer to Backend Engineer", "oliver")]):
        d = date(2025, 12, 3 + 5 * (n % 3))
        created = at(d)
        kind = title.split(":")[0]
        rows.append((created, ticket(f"IT-{n}", kind, title, created, created + timedelta(hours=22), approver, "Automation for Jira", "Support", None, "From HiBob.")))
    rows.sort(key=lambda r: r[0], reverse=True)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(JIRA_HEADER)
    for _, row in rows:
        w.writerow(row)
    path = ROOT / "sources" / "jira" / "it-access-2026h1.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(out.getvalue(), encoding="utf-8")
    return len(rows)


# ---------------------------------------------------------------------------------------------
# AWS IAM credential report of prod-core (210987654321), generated 2026-07-01 06:55 UTC.

AWS_HEADER = ("user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
              "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
              "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
              "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
              "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"
              "cert_1_last_rotated,cert_2_active,cert_2_last_rotated")
NO_KEY = ["false", "N/A", "N/A", "N/A", "N/A"]
NO_CERTS = ["false", "N/A", "false", "N/A"]


def aws():
    acct = "210987654321"

    def t(s):
        return s + "+00:00"

    def row(user, created, password, mfa, key1=NO_KEY, key2=NO_KEY):
        arn = f"arn:aws:iam::{acct}:root" if user == "<root_account>" else f"arn:aws:iam::{acct}:user/{user}"
        return ",".join([user, arn, t(created), *password, mfa, *key1, *key2, *NO_CERTS])

    no_console = ["false", "N/A", "N/A", "N/A"]
    rows = [
        row("<root_account>", "2019-05-14T09:30:12", ["not_supported", t("2026-02-03T10:14:55"), "not_supported", "not_supported"], "true"),
        # break-glass console users of the SRE and identity teams (hardware MFA, no keys)
        row("sven", "2021-03-02T11:04:19", ["true", t("2026-04-09T03:05:41"), t("2026-01-12T09:30:00"), "N/A"], "true"),
        row("tomasz", "2022-05-16T08:12:45", ["true", t("2026-03-04T11:20:07"), t("2026-01-12T09:41:22"), "N/A"], "true"),
        row("fatima", "2023-01-09T14:55:30", ["true", "N/A", t("2026-01-12T10:02:51"), "N/A"], "true"),
        # machine users that still hold access keys (identities/aws-iam-users.yaml)
        row("carrier-s3-drop", "2023-04-11T10:20:00", no_console, "false",
            ["true", t("2026-05-19T09:14:27"), t("2026-06-30T23:41:00"), "eu-west-2", "s3"],
            ["false", t("2026-02-19T08:47:10"), t("2026-05-19T08:52:31"), "eu-west-2", "s3"]),
        row("ses-smtp-notifications", "2022-11-02T15:31:08", no_console, "false",
            ["true", t("2026-04-08T10:02:11"), t("2026-06-30T23:58:12"), "eu-west-2", "ses"], NO_KEY),
        row("backup-export", "2024-02-20T13:05:44", no_console, "false",
            ["true", t("2026-02-26T14:22:05"), t("2026-07-01T02:10:33"), "eu-west-1", "s3"], NO_KEY),
        row("edi-archive-reader", "2021-09-30T16:40:02", no_console, "false",
            ["true", t("2026-02-10T09:45:00"), t("2026-03-06T17:20:00"), "eu-west-2", "s3"], NO_KEY),
        # a machine user whose keys were all deactivated when its integration moved to a role
        row("datadog-integration", "2020-06-01T12:00:00", no_console, "false",
            ["false", t("2025-09-03T10:00:00"), t("2026-01-21T11:59:58"), "eu-west-2", "cloudwatch"], NO_KEY),
    ]
    path = ROOT / "sources" / "aws" / "credential-report-2026-07-01.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(AWS_HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return len(rows)


# ---------------------------------------------------------------------------------------------
# HiBob: People > Reports > "New starters with screening" exported as CSV (UK dates), the HR-01
# population: every joiner of the half-year, with the Zinc Checks screening status and who
# checked and approved it (their Okta e-mail addresses, as HiBob shows users).

def hr():
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["Employee ID", "Display name", "Department", "Job title", "Start date", "Employment type",
                "Screening provider", "Screening status", "Screening completed", "Checked by", "Approved by",
                "Site"])
    first = ["Ewa", "Liam", "Sanne", "Ciarán", "Piotr", "Hannah", "Tom", "Niamh", "Jakub", "Femke", "Ola",
             "Rory", "Marta", "Daan", "Aoife", "Kasia"]
    last = ["Mazur", "Doyle", "de Vries", "Walsh", "Wiśniewski", "Fischer", "Baker", "Kelly", "Lewandowski",
            "Janssen", "Nowicka", "Byrne", "Zając", "Bakker", "Murphy", "Król"]
    joiners = [j for j in JML if j[2] == "joiner"]
    for n, (key, day, _, department, _, summary) in enumerate(joiners):
        start = date.fromisoformat(day)
        checked = start - timedelta(days=rng.randint(4, 12))
        title = summary.split(": ", 1)[1]
        contractor = "Contractor" in title
        w.writerow([f"NW-{1187 + n * 3}", f"{first[n % 16]} {last[(n * 7) % 16]}", department, title,
                    start.strftime("%d/%m/%Y"), "Contractor" if contractor else "Permanent", "Zinc Checks",
                    "Complete", checked.strftime("%d/%m/%Y"), "zofia@northwind.example",
                    "lucia@northwind.example", rng.choice(["United Kingdom", "Ireland", "Netherlands", "Poland"])])
    path = ROOT / "sources" / "hr" / "new-starters-2026h1.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue().encode("utf-8"))
    return len(joiners)


if __name__ == "__main__":
    for repo, n in github().items():
        print(f"sources/github/{repo}-2026h1.json: {n} pull requests")
    print(f"sources/jira/it-access-2026h1.csv: {jira()} issues")
    print(f"sources/aws/credential-report-2026-07-01.csv: {aws()} users")
    print(f"sources/hr/new-starters-2026h1.csv: {hr()} new starters")

/*
 * apply.c
 *		kyc_projections.apply_event(): the relay's handler that keeps the
 *		projections current, one event at a time.
 *
 * Each event is one INSERT ... ON CONFLICT (case_id) DO UPDATE of its
 * case's row, through the case_id index, writing only the columns of the
 * event's source:
 *
 *	onboarding		case.created, case.updated, case.status_changed,
 *					case.attention_required: the case row;
 *					applicant.updated (role Applicant), applicant.removed
 *	checklist_service	checklist.progressed, checklist.completed,
 *					checklist.reopened: the checklist and its counts
 *	risk_service	risk.assessment_completed, risk.assessment_rescored
 *	document_service	document.*: the case's document counts
 *
 * Each source's columns carry its version, the (xid, id) position of the
 * last event applied: the UPDATE happens only for a later event, so a
 * repeated, replayed or stale one changes nothing.  An event whose case has
 * no row yet (a checklist made before the case's case.created arrived)
 * inserts the row with its own columns; the case's event fills in the rest
 * when it comes.  The derive trigger computes the derived columns.
 */
#include "kyc_projections.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/xid8.h"

/* A text field of the payload ($1). */
#define F(key) "($1 OPERATOR(pg_catalog.->>) '" key "')"
/* A field of a nested payload object. */
#define F2(obj, key) "($1 OPERATOR(pg_catalog.->) '" obj "' OPERATOR(pg_catalog.->>) '" key "')"

/*
 * The parameters of every statement: $1 payload, $2 xid, $3 event id,
 * $4 "source topic id", $5 case id, $6 the event's time, $7 topic.
 */
#define NPARAMS 7

/*
 * The version guard of source src's columns, for ON CONFLICT ... WHERE:
 * later by (xid, id), the relay's order, and by id.  A source writes an
 * aggregate's events under that aggregate's lock (the case row, the
 * checklist row, the assessment row, the case's document lock), so their
 * ids follow their commits; a transaction that started first but committed
 * last has the lower xid and the higher id, and its event, the newest
 * state, must not be overwritten by the one delivered after it.
 */
#define NEWER(src) \
	" WHERE (p." src "_xid, p." src "_event_id) OPERATOR(pg_catalog.<) " \
	"(excluded." src "_xid, excluded." src "_event_id) " \
	"AND p." src "_event_id OPERATOR(pg_catalog.<) excluded." src "_event_id"

typedef enum ProjectionKind
{
	PK_CASE,
	PK_APPLICANT,
	PK_APPLICANT_REMOVED,
	PK_CHECKLIST,
	PK_RISK,
	PK_DOCUMENT,
	PK_COUNT
}			ProjectionKind;

static const char *const statements[PK_COUNT] = {
	/* PK_CASE */
	"INSERT INTO kyc_projections.onboarding_case_projections AS p "
	" (case_id, id, type, status, partner_id, partner_name, partner_reference_id, created_at, "
	"  updated_at, submitted_at, approved_at, rejected_at, assigned_to, assigned_to_name, assigned_at, "
	"  case_xid, case_event_id, last_event) "
	"VALUES ($5, coalesce(" F("id") "::pg_catalog.uuid, pg_catalog.gen_random_uuid()), "
	" " F("type") ", " F("status") ", " F("partner_id") ", " F("partner_name") ", " F("partner_reference_id") ", "
	" " F("created_at") "::pg_catalog.timestamptz, " F("updated_at") "::pg_catalog.timestamptz, "
	" " F("submitted_at") "::pg_catalog.timestamptz, " F("approved_at") "::pg_catalog.timestamptz, "
	" " F("rejected_at") "::pg_catalog.timestamptz, " F("assigned_to") ", " F("assigned_to") ", "
	" " F("assigned_at") "::pg_catalog.timestamptz, $2, $3, $4) "
	"ON CONFLICT (case_id) DO UPDATE SET id = excluded.id, type = excluded.type, status = excluded.status, "
	" partner_id = excluded.partner_id, partner_name = excluded.partner_name, "
	" partner_reference_id = excluded.partner_reference_id, created_at = excluded.created_at, "
	" updated_at = excluded.updated_at, submitted_at = excluded.submitted_at, "
	" approved_at = excluded.approved_at, rejected_at = excluded.rejected_at, "
	" assigned_to = excluded.assigned_to, assigned_to_name = excluded.assigned_to_name, "
	" assigned_at = excluded.assigned_at, case_xid = excluded.case_xid, "
	" case_event_id = excluded.case_event_id, last_event = excluded.last_event" NEWER("case"),

	/* PK_APPLICANT */
	"INSERT INTO kyc_projections.onboarding_case_projections AS p "
	" (case_id, applicant_id, applicant_first_name, applicant_last_name, applicant_email, applicant_phone, "
	"  applicant_date_of_birth, applicant_nationality, applicant_address, applicant_city, applicant_country, "
	"  applicant_xid, applicant_event_id, last_event) "
	"VALUES ($5, coalesce(" F("applicant_id") ", " F("id") ")::pg_catalog.uuid, "
	" " F("first_name") ", " F("last_name") ", " F("email") ", " F("phone_number") ", "
	" " F("date_of_birth") "::pg_catalog.date, " F("nationality") ", "
	" " F2("primary_address", "street") ", " F2("primary_address", "city") ", "
	" " F2("primary_address", "country") ", $2, $3, $4) "
	"ON CONFLICT (case_id) DO UPDATE SET applicant_id = excluded.applicant_id, "
	" applicant_first_name = excluded.applicant_first_name, applicant_last_name = excluded.applicant_last_name, "
	" applicant_email = excluded.applicant_email, applicant_phone = excluded.applicant_phone, "
	" applicant_date_of_birth = excluded.applicant_date_of_birth, "
	" applicant_nationality = excluded.applicant_nationality, applicant_address = excluded.applicant_address, "
	" applicant_city = excluded.applicant_city, applicant_country = excluded.applicant_country, "
	" applicant_xid = excluded.applicant_xid, applicant_event_id = excluded.applicant_event_id, "
	" last_event = excluded.last_event" NEWER("applicant"),

	/*
	 * PK_APPLICANT_REMOVED: only the applicant the row shows, and only a
	 * later event.
	 */
	"UPDATE kyc_projections.onboarding_case_projections AS p SET applicant_id = NULL, "
	" applicant_first_name = NULL, applicant_last_name = NULL, applicant_email = NULL, "
	" applicant_phone = NULL, applicant_date_of_birth = NULL, applicant_nationality = NULL, "
	" applicant_address = NULL, applicant_city = NULL, applicant_country = NULL, "
	" applicant_xid = $2, applicant_event_id = $3, last_event = $4 "
	"WHERE p.case_id OPERATOR(pg_catalog.=) $5 "
	" AND p.applicant_id OPERATOR(pg_catalog.=) " F("applicant_id") "::pg_catalog.uuid "
	" AND (p.applicant_xid, p.applicant_event_id) OPERATOR(pg_catalog.<) ($2, $3) "
	" AND p.applicant_event_id OPERATOR(pg_catalog.<) $3",

	/* PK_CHECKLIST */
	"INSERT INTO kyc_projections.onboarding_case_projections AS p "
	" (case_id, checklist_id, checklist_status, checklist_completion_percentage, checklist_total_items, "
	"  checklist_completed_items, checklist_required_items, checklist_completed_required_items, "
	"  checklist_reopened_at, checklist_xid, checklist_event_id, last_event) "
	"VALUES ($5, " F("checklist_id") "::pg_catalog.uuid, " F("status") ", "
	" " F("completion_percentage") "::pg_catalog.numeric, " F2("counts", "total") "::pg_catalog.int4, "
	" " F2("counts", "completed") "::pg_catalog.int4, " F2("counts", "required") "::pg_catalog.int4, "
	" " F2("counts", "completed_required") "::pg_catalog.int4, "
	" CASE WHEN $7 OPERATOR(pg_catalog.=) 'checklist.reopened' THEN $6 END, $2, $3, $4) "
	"ON CONFLICT (case_id) DO UPDATE SET checklist_id = excluded.checklist_id, "
	" checklist_status = excluded.checklist_status, "
	" checklist_completion_percentage = excluded.checklist_completion_percentage, "
	" checklist_total_items = excluded.checklist_total_items, "
	" checklist_completed_items = excluded.checklist_completed_items, "
	" checklist_required_items = excluded.checklist_required_items, "
	" checklist_completed_required_items = excluded.checklist_completed_required_items, "
	" checklist_reopened_at = CASE $7 WHEN 'checklist.reopened' THEN $6 "
	"   WHEN 'checklist.completed' THEN NULL ELSE p.checklist_reopened_at END, "
	" checklist_xid = excluded.checklist_xid, checklist_event_id = excluded.checklist_event_id, "
	" last_event = excluded.last_event" NEWER("checklist"),

	/* PK_RISK */
	"INSERT INTO kyc_projections.onboarding_case_projections AS p "
	" (case_id, risk_assessment_id, risk_level, risk_score, risk_status, risk_factor_count, "
	"  requires_manual_review, sanctions_hits, pep_hits, risk_xid, risk_event_id, last_event) "
	"SELECT $5, " F("assessment_id") "::pg_catalog.uuid, " F("level") ", "
	" " F("score") "::pg_catalog.numeric, 'Completed', "
	" pg_catalog.jsonb_array_length($1 OPERATOR(pg_catalog.->) 'factors'), "
	" " F("manual_review") "::pg_catalog.bool, "
	" pg_catalog.count(*) FILTER (WHERE f OPERATOR(pg_catalog.->>) 'type' OPERATOR(pg_catalog.=) 'Sanctions' "
	"   AND (f OPERATOR(pg_catalog.->>) 'score')::pg_catalog.numeric OPERATOR(pg_catalog.>) 0), "
	" pg_catalog.count(*) FILTER (WHERE f OPERATOR(pg_catalog.->>) 'type' OPERATOR(pg_catalog.=) 'PEP' "
	"   AND (f OPERATOR(pg_catalog.->>) 'score')::pg_catalog.numeric OPERATOR(pg_catalog.>) 0), "
	" $2, $3, $4 "
	"FROM pg_catalog.jsonb_array_elements(coalesce($1 OPERATOR(pg_catalog.->) 'factors', '[]')) f "
	"ON CONFLICT (case_id) DO UPDATE SET risk_assessment_id = excluded.risk_assessment_id, "
	" risk_level = excluded.risk_level, risk_score = excluded.risk_score, risk_status = excluded.risk_status, "
	" risk_factor_count = excluded.risk_factor_count, requires_manual_review = excluded.requires_manual_review, "
	" sanctions_hits = excluded.sanctions_hits, pep_hits = excluded.pep_hits, "
	" risk_xid = excluded.risk_xid, risk_event_id = excluded.risk_event_id, "
	" last_event = excluded.last_event" NEWER("risk"),

	/* PK_DOCUMENT: the case's counts per status, as the event carries them. */
	"INSERT INTO kyc_projections.onboarding_case_projections AS p "
	" (case_id, document_count, verified_document_count, pending_document_count, "
	"  rejected_document_count, expired_document_count, document_xid, document_event_id, last_event) "
	"SELECT $5, v OPERATOR(pg_catalog.+) p2 OPERATOR(pg_catalog.+) r OPERATOR(pg_catalog.+) x, v, p2, r, x, $2, $3, $4 "
	"FROM (SELECT coalesce(" F2("counts", "Verified") "::pg_catalog.int4, 0) v, "
	"  coalesce(" F2("counts", "Pending") "::pg_catalog.int4, 0) p2, "
	"  coalesce(" F2("counts", "Rejected") "::pg_catalog.int4, 0) r, "
	"  coalesce(" F2("counts", "Expired") "::pg_catalog.int4, 0) x) c "
	"ON CONFLICT (case_id) DO UPDATE SET document_count = excluded.document_count, "
	" verified_document_count = excluded.verified_document_count, "
	" pending_document_count = excluded.pending_document_count, "
	" rejected_document_count = excluded.rejected_document_count, "
	" expired_document_count = excluded.expired_document_count, "
	" document_xid = excluded.document_xid, document_event_id = excluded.document_event_id, "
	" last_event = excluded.last_event" NEWER("document"),
};

/* The string value of payload's top-level key, or NULL if absent or not a string. */
static char *
JsonbText(Jsonb *payload, const char *key)
{
	JsonbValue	k;
	JsonbValue *v;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	v = findJsonbValueFromContainer(&payload->root, JB_FOBJECT, &k);
	if (v == NULL || v->type != jbvString)
		return NULL;
	return pnstrdup(v->val.string.val, v->val.string.len);
}

/* Which statement applies topic, with payload; -1 for an event it leaves alone. */
static int
KindOf(const char *topic, Jsonb *payload)
{
	if (strncmp(topic, "case.", 5) == 0)
		return PK_CASE;
	if (strcmp(topic, "applicant.updated") == 0)
	{
		char	   *role = JsonbText(payload, "role");

		/* A beneficial owner is not the case's applicant. */
		return role == NULL || strcmp(role, "Applicant") == 0 ? PK_APPLICANT : -1;
	}
	if (strcmp(topic, "applicant.removed") == 0)
		return PK_APPLICANT_REMOVED;
	if (strncmp(topic, "checklist.", 10) == 0)
		return PK_CHECKLIST;
	if (strcmp(topic, "risk.assessment_completed") == 0 || strcmp(topic, "risk.assessment_rescored") == 0)
		return PK_RISK;
	if (strncmp(topic, "document.", 9) == 0)
		return PK_DOCUMENT;
	return -1;
}

/* The topics apply_event() handles, as a text[] literal. */
#define PROJECTION_TOPICS \
	"{case.created,case.updated,case.status_changed,case.attention_required," \
	"applicant.updated,applicant.removed,checklist.progressed,checklist.completed," \
	"checklist.reopened,risk.assessment_completed,risk.assessment_rescored," \
	"document.uploaded,document.verified,document.rejected,document.expired}"

/* A field of the event composite, by name; NULL is an error naming it. */
static Datum
EventField(HeapTupleHeader event, const char *name)
{
	bool		isnull;
	Datum		value = GetAttributeByName(event, name, &isnull);

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the event's %s is null", name),
				 errhint("kyc_projections.apply_event() takes events as the relay delivers them.")));
	return value;
}

PG_FUNCTION_INFO_V1(kyc_projections_apply_event);

/* SQL: kyc_projections.apply_event(e kyc_events.event) RETURNS void */
Datum
kyc_projections_apply_event(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr plans[PK_COUNT];
	Oid			argtypes[NPARAMS] = {JSONBOID, XID8OID, INT8OID, TEXTOID, TEXTOID, TIMESTAMPTZOID, TEXTOID};
	Datum		values[NPARAMS];
	HeapTupleHeader event;
	char	   *topic;
	char	   *case_id;
	Jsonb	   *payload;
	int			kind;

	KycRequireArg(fcinfo, 0, "e");
	event = PG_GETARG_HEAPTUPLEHEADER(0);
	KycSpiConnect();
	KycRequireDelivery(HeapTupleHeaderGetTypeId(event), PG_GETARG_DATUM(0), fcinfo->flinfo->fn_oid,
					   PROJECTION_TOPICS);

	topic = TextDatumGetCString(EventField(event, "topic"));
	payload = DatumGetJsonbP(EventField(event, "payload"));
	kind = KindOf(topic, payload);
	case_id = JsonbText(payload, "case_id");
	/* An applicant removed with its case names no case: nothing to project. */
	if (kind < 0 || (case_id == NULL && kind == PK_APPLICANT_REMOVED))
	{
		SPI_finish();
		PG_RETURN_VOID();
	}

	/*
	 * Any other event without its case is malformed: a dead letter, not a
	 * silent skip.
	 */
	if (case_id == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s event " INT64_FORMAT " of %s names no case", topic,
						DatumGetInt64(EventField(event, "id")),
						TextDatumGetCString(EventField(event, "source"))),
				 errdetail("Its payload has no case_id string."),
				 errhint("The relay keeps it as a dead letter; kyc_events.replay_dead_letter() applies it once fixed.")));
	values[0] = JsonbPGetDatum(payload);
	values[1] = EventField(event, "xid");
	values[2] = EventField(event, "id");
	values[3] = CStringGetTextDatum(psprintf("%s %s " INT64_FORMAT,
											 TextDatumGetCString(EventField(event, "source")), topic,
											 DatumGetInt64(values[2])));
	values[4] = CStringGetTextDatum(case_id);
	values[5] = EventField(event, "created_at");
	values[6] = CStringGetTextDatum(topic);
	KycSavedPlan(&plans[kind], statements[kind], NPARAMS, argtypes);
	if (SPI_execute_plan(plans[kind], values, NULL, false, 0) < 0)
		elog(ERROR, "could not apply %s to the projection of case %s", topic, case_id);
	SPI_finish();
	PG_RETURN_VOID();
}

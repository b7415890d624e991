/*
 * kyc_parent_case.c
 *		A child row keeps its case's public id (KYC-...) from its parent.
 *
 * An address, a checklist item or a risk factor reaches its case through
 * its parent row.  When a parent is deleted, its children go by cascade
 * after it, and the audit capture of those deletes could no longer find
 * the case: the parent is gone.  So each child keeps the public id in its
 * own case_id column, set from the parent when the row is written, by the
 * extension's inherit_case_id() trigger:
 *
 *   BEFORE INSERT OR UPDATE OF fk, case_id ... FOR EACH ROW
 *   EXECUTE FUNCTION inherit_case_id('fk', 'schema.parent', 'parent_key')
 *
 * A writer may leave case_id out, or give the parent's; any other value is
 * refused, never silently replaced.  The lookup's text is built from the
 * trigger's arguments, which the extension's install script sets, never
 * from row data; it runs as the parent table's owner.
 */
#include "kyc_common.h"

#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/regproc.h"

/* One trigger's lookup: by pg_trigger oid, which its arguments never outlive. */
typedef struct ParentLookup
{
	Oid			trigger;		/* hash key */
	Oid			owner;			/* the parent table's owner, who runs it */
	SPIPlanPtr	plan;			/* SELECT case_id FROM parent WHERE key = $1 */
} ParentLookup;

static HTAB *parent_lookups = NULL;

/* The saved lookup for trigger, prepared on first use. */
static ParentLookup *
Lookup(Trigger *trigger, Relation rel, int fk_attnum)
{
	ParentLookup *entry;
	bool		found;
	Oid			parent;
	char	   *schema;
	Oid			argtype = TupleDescAttr(RelationGetDescr(rel), fk_attnum - 1)->atttypid;

	if (parent_lookups == NULL)
	{
		HASHCTL		ctl;

		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(ParentLookup);
		parent_lookups = hash_create("pgkyc parent case lookups", 8, &ctl, HASH_ELEM | HASH_BLOBS);
	}
	entry = hash_search(parent_lookups, &trigger->tgoid, HASH_ENTER, &found);
	if (found && entry->plan != NULL)
		return entry;
	entry->plan = NULL;
	parent = RangeVarGetRelid(makeRangeVarFromNameList(stringToQualifiedNameList(trigger->tgargs[1])),
							  NoLock, false);
	schema = get_namespace_name(get_rel_namespace(parent));
	entry->owner = KycTableOwner(schema, get_rel_name(parent));
	KycSpiConnect();
	KycSavedPlan(&entry->plan,
				 psprintf("SELECT p.case_id::pg_catalog.text FROM %s p WHERE p.%s OPERATOR(pg_catalog.=) $1",
						  quote_qualified_identifier(schema, get_rel_name(parent)),
						  quote_identifier(trigger->tgargs[2])),
				 1, &argtype);
	SPI_finish();
	return entry;
}

/* Body of every extension's inherit_case_id() trigger (see above). */
Datum
KycInheritCaseIdTrigger(FunctionCallInfo fcinfo)
{
	TriggerData *trigdata = KycWriteTriggerCall(fcinfo, "inherit_case_id", true);
	Trigger    *trigger = trigdata->tg_trigger;
	Relation	rel = trigdata->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	HeapTuple	tuple = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
	trigdata->tg_newtuple : trigdata->tg_trigtuple;
	ParentLookup *lookup;
	int			fk_attnum;
	int			case_attnum;
	bool		isnull;
	Datum		fk;
	char	   *given;
	char	   *parent_case;
	Datum		value;
	bool		null = false;
	Oid			input;
	Oid			ioparam;

	if (trigger->tgnargs != 3)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\" needs three arguments: the foreign key column, the parent table and its key",
						trigger->tgname)));
	fk_attnum = SPI_fnumber(desc, trigger->tgargs[0]);
	case_attnum = SPI_fnumber(desc, "case_id");
	if (fk_attnum <= 0 || case_attnum <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("trigger \"%s\" needs columns \"%s\" and \"case_id\" of %s",
						trigger->tgname, trigger->tgargs[0], RelationGetRelationName(rel))));
	fk = SPI_getbinval(tuple, desc, fk_attnum, &isnull);
	if (isnull)
		return PointerGetDatum(tuple);	/* the NOT NULL constraint reports it */
	lookup = Lookup(trigger, rel, fk_attnum);
	parent_case = KycOwnerLookupText(lookup->owner, lookup->plan, &fk, "the parent row's case");
	if (parent_case == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("%s %s of %s names no row of %s", trigger->tgargs[0],
						SPI_getvalue(tuple, desc, fk_attnum), RelationGetRelationName(rel),
						trigger->tgargs[1]),
				 errhint("%s must be the %s of an existing row of %s.", trigger->tgargs[0],
						 trigger->tgargs[2], trigger->tgargs[1]),
				 errtablecolname(rel, trigger->tgargs[0])));
	/* An UPDATE that leaves case_id alone gives none: it follows the key. */
	given = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) &&
		KycAttrSame(trigdata->tg_trigtuple, tuple, desc, case_attnum) ?
		NULL : SPI_getvalue(tuple, desc, case_attnum);
	if (given != NULL && strcmp(given, parent_case) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("case_id \"%s\" of %s is not the case of its %s", given,
						RelationGetRelationName(rel), trigger->tgargs[0]),
				 errdetail("The row's %s belongs to case %s.", trigger->tgargs[0], parent_case),
				 errhint("Leave case_id out: it is kept from %s.", trigger->tgargs[1]),
				 errtablecolname(rel, "case_id")));
	if (given != NULL)
		return PointerGetDatum(tuple);
	getTypeInputInfo(TupleDescAttr(desc, case_attnum - 1)->atttypid, &input, &ioparam);
	value = OidInputFunctionCall(input, parent_case, ioparam, TupleDescAttr(desc, case_attnum - 1)->atttypmod);
	return PointerGetDatum(heap_modify_tuple_by_cols(tuple, desc, 1, &case_attnum, &value, &null));
}

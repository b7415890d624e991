/*
 * kyc_allowed.c
 *		The project's own error for a value outside a column's allowed list.
 *
 * A CHECK (column IN (...)) constraint fails with "violates check
 * constraint ... Failing row contains (...)", which names neither the
 * column nor what it would accept.  Each extension's allowed_values()
 * trigger raises the same SQLSTATE (23514) first, naming the column, the
 * value given and the allowed values; the CHECK stays as the backstop.
 */
#include "kyc_common.h"

#include "catalog/partition.h"
#include "commands/trigger.h"
#include "lib/stringinfo.h"
#include "nodes/pg_list.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

/* The table a user wrote to: a partition's root, else rel itself. */
static char *
UserTableName(Relation rel)
{
	if (rel->rd_rel->relispartition)
		return get_rel_name(llast_oid(get_partition_ancestors(RelationGetRelid(rel))));
	return RelationGetRelationName(rel);
}

/* Raise 23514 naming column, value and the allowed list, unless value is in it. */
void
KycCheckAllowed(Relation rel, const char *column, const char *value,
				char *const *allowed, int nallowed)
{
	StringInfoData list;
	int			i;

	for (i = 0; i < nallowed; i++)
		if (strcmp(value, allowed[i]) == 0)
			return;
	initStringInfo(&list);
	for (i = 0; i < nallowed; i++)
		appendStringInfo(&list, "%s%s", i > 0 ? ", " : "", allowed[i]);
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("invalid %s \"%s\" for %s", column, KycQuoted(value), UserTableName(rel)),
			 errdetail("Values are matched exactly, case included."),
			 errhint("Allowed values of %s: %s.", column, list.data),
			 errtablecolname(rel, column)));
}

/*
 * Body of every extension's allowed_values() trigger, attached as
 * BEFORE INSERT OR UPDATE OF column ... FOR EACH ROW EXECUTE FUNCTION
 * allowed_values('column', 'A', 'B', ...).  A NULL is the NOT NULL
 * constraint's to report.
 */
Datum
KycAllowedValuesTrigger(FunctionCallInfo fcinfo)
{
	TriggerData *trigdata = KycWriteTriggerCall(fcinfo, "allowed_values", true);
	Trigger    *trigger = trigdata->tg_trigger;
	Relation	rel = trigdata->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	HeapTuple	tuple = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
	trigdata->tg_newtuple : trigdata->tg_trigtuple;
	int			attnum;
	char	   *value;

	if (trigger->tgnargs < 2)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\" needs a column name and at least one allowed value",
						trigger->tgname)));
	attnum = SPI_fnumber(desc, trigger->tgargs[0]);
	if (attnum <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("trigger \"%s\" names column \"%s\", which %s does not have",
						trigger->tgname, trigger->tgargs[0], RelationGetRelationName(rel))));
	value = SPI_getvalue(tuple, desc, attnum);
	if (value != NULL)
		KycCheckAllowed(rel, trigger->tgargs[0], value, trigger->tgargs + 1, trigger->tgnargs - 1);
	return PointerGetDatum(tuple);
}

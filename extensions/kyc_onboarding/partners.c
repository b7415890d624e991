/*
 * partners.c
 *		A case's partner: it must exist, and its name goes on case events.
 *
 * partners is written by its owner only; the lookups run as the table's
 * owner, so they need no right of the caller (the relay's handler owner,
 * onboarding_user or a superuser).
 */
#include "kyc_onboarding.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/rel.h"

/*
 * The name of partner partner_id, or NULL when there is no such partner.
 * rel is onboarding_cases, whose owner owns partners too.
 */
char *
OnboardingPartnerName(Relation rel, const char *partner_id)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {TEXTOID};
	Datum		value = CStringGetTextDatum(partner_id);

	KycSpiConnect();
	KycSavedPlan(&plan, "SELECT p.name FROM kyc_onboarding.partners p "
				 "WHERE p.partner_id OPERATOR(pg_catalog.=) $1", 1, argtypes);
	SPI_finish();
	return KycOwnerLookupText(rel->rd_rel->relowner, plan, &value, "the case's partner");
}

/*
 * Refuse a case whose partner does not exist, naming the partner; the
 * foreign key onboarding_cases_partner_id_fkey stays as the backstop.
 */
void
OnboardingRequirePartner(Relation rel, const char *partner_id)
{
	if (OnboardingPartnerName(rel, partner_id) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("partner \"%s\" does not exist", partner_id),
				 errdetail("A case's partner_id must name a row of kyc_onboarding.partners."),
				 errhint("The database owner adds partners: INSERT INTO kyc_onboarding.partners "
						 "(partner_id, name) VALUES (%s, '...'); or pass partner_id NULL.",
						 quote_literal_cstr(partner_id)),
				 errtableconstraint(rel, "onboarding_cases_partner_id_fkey")));
}

/*
 * validate.c
 *		Field rules for applicants and addresses: email, E.164 phone,
 *		ISO 3166-1 alpha-2 country.
 *
 * Each rule returns a sentence saying what is wrong, or NULL, so the same
 * rule serves the triggers (which raise it as errdetail) and the boolean
 * SQL functions clients use to pre-validate a form.
 */
#include "kyc_onboarding.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/rel.h"

/* Letters, digits and the specials RFC 5322 allows unquoted in a local part. */
static bool
IsLocalPartChar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || strchr("!#$%&'*+/=?^_`{|}~.-", c) != NULL;
}

/* Whether the len bytes at s hold two dots in a row. */
static bool
HasDoubleDot(const char *s, size_t len)
{
	size_t		i;

	for (i = 0; i + 1 < len; i++)
		if (s[i] == '.' && s[i + 1] == '.')
			return true;
	return false;
}

/* Problem with a domain name such as example.co.uk, or NULL. */
static const char *
DomainProblem(const char *domain)
{
	const char *label = domain;
	const char *p;
	int			labels = 0;
	bool		tld_alpha = true;

	if (domain[0] == '\0')
		return "The part after @ is empty.";
	if (strlen(domain) > 253)
		return "The domain is longer than 253 characters.";
	for (p = domain;; p++)
	{
		if (*p == '.' || *p == '\0')
		{
			size_t		len = p - label;

			if (len == 0 || len > 63)
				return "Each part of the domain must be 1 to 63 characters long.";
			if (label[0] == '-' || p[-1] == '-')
				return "A domain part cannot start or end with a hyphen.";
			labels++;
			if (*p == '\0')
				break;
			label = p + 1;
			tld_alpha = true;
		}
		else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
			continue;
		else if ((*p >= '0' && *p <= '9') || *p == '-')
			tld_alpha = false;
		else
			return "The domain may contain only letters, digits, hyphens and dots.";
	}
	if (labels < 2)
		return "The domain needs at least one dot, as in example.com.";
	if (!tld_alpha || p - label < 2)
		return "The top-level domain must be at least two letters.";
	return NULL;
}

/* Problem with an email address, or NULL when it is acceptable. */
const char *
OnboardingEmailProblem(const char *email)
{
	const char *at = strchr(email, '@');
	size_t		local_len;
	const char *p;

	if (strlen(email) > 254)
		return "An email address is at most 254 characters.";
	if (at == NULL || strchr(at + 1, '@') != NULL)
		return "An email address has exactly one @.";
	local_len = at - email;
	if (local_len == 0 || local_len > 64)
		return "The part before @ must be 1 to 64 characters long.";
	/* Only the local part's dots: the domain's labels get their own message. */
	if (email[0] == '.' || at[-1] == '.' || HasDoubleDot(email, local_len))
		return "The part before @ cannot start or end with a dot or have two dots in a row.";
	for (p = email; p < at; p++)
		if (!IsLocalPartChar(*p))
			return "The part before @ contains a character that is not allowed.";
	return DomainProblem(at + 1);
}

/* Problem with an E.164 phone number such as +447911123456, or NULL. */
const char *
OnboardingPhoneProblem(const char *phone)
{
	const char *p;

	if (phone[0] != '+')
		return "An E.164 number starts with + and the country code.";
	for (p = phone + 1; *p; p++)
		if (*p < '0' || *p > '9')
			return "After the +, an E.164 number has digits only, without spaces or punctuation.";
	if (phone[1] == '0')
		return "A country code never starts with 0.";
	if (strlen(phone + 1) < 7 || strlen(phone + 1) > 15)
		return "An E.164 number has 7 to 15 digits after the +.";
	return NULL;
}

/* True when code is listed in kyc_onboarding.countries. */
bool
OnboardingCountryExists(const char *code)
{
	static SPIPlanPtr plan = NULL;
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];
	bool		found;

	KycSpiConnect();
	KycSavedPlan(&plan, "SELECT 1 FROM kyc_onboarding.countries "
				 "WHERE code OPERATOR(pg_catalog.=) $1", 1, argtypes);
	values[0] = CStringGetTextDatum(code);
	if (SPI_execute_plan(plan, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "country lookup failed");
	found = SPI_processed > 0;
	SPI_finish();
	return found;
}

/*
 * Check a country column: upper-case it, then require a listed code.
 * The upper-cased value is queued in changes so the row stores it.
 */
void
OnboardingCheckCountryColumn(Relation rel, HeapTuple tuple, KycColumn *column,
							 KycRowChanges *changes)
{
	TupleDesc	desc = RelationGetDescr(rel);
	char	   *value = KycRowText(tuple, desc, column);
	char	   *p;

	if (value == NULL)
		return;
	for (p = value; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p -= 'a' - 'A';
	if (strlen(value) != 2 || !OnboardingCountryExists(value))
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("invalid %s \"%s\"", column->name, value),
				 errdetail("The value is not an ISO 3166-1 alpha-2 code listed in kyc_onboarding.countries."),
				 errhint("Use a two-letter code such as \"GB\" or \"DE\"."),
				 errtablecolname(rel, column->name)));
	KycChangeSet(changes, desc, column, CStringGetTextDatum(value), false);
}

PG_FUNCTION_INFO_V1(kyc_onboarding_is_valid_email);

/* SQL: kyc_onboarding.is_valid_email(text) returns boolean */
Datum
kyc_onboarding_is_valid_email(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(OnboardingEmailProblem(text_to_cstring(PG_GETARG_TEXT_PP(0))) == NULL);
}

PG_FUNCTION_INFO_V1(kyc_onboarding_is_valid_phone);

/* SQL: kyc_onboarding.is_valid_phone(text) returns boolean */
Datum
kyc_onboarding_is_valid_phone(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(OnboardingPhoneProblem(text_to_cstring(PG_GETARG_TEXT_PP(0))) == NULL);
}

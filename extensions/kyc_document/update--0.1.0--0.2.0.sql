/* kyc_document 0.1.0 to 0.2.0: what holds state (update_code.pl appends the rest). */

\echo Use "ALTER EXTENSION kyc_document UPDATE" to load this file. \quit

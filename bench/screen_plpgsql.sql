-- screen_plpgsql.sql: screening the way a user would write it without the
-- C code, for scripts/bench_screen.sh: candidates from pg_trgm, scored by
-- a PL/pgSQL token Jaro-Winkler with the same rules as name_similarity()
-- (greedy best pairs, initials, length penalty, surplus weight; no joined
-- tokens), best name per entity.  Queries come normalised.

-- Jaro-Winkler of two strings.
CREATE OR REPLACE FUNCTION bench.jaro_winkler(a text, b text) RETURNS float8
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
	alen int := length(a);
	blen int := length(b);
	win int := greatest(greatest(alen, blen) / 2 - 1, 0);
	amatch bool[] := array_fill(false, ARRAY[greatest(alen, 1)]);
	bmatch bool[] := array_fill(false, ARRAY[greatest(blen, 1)]);
	m int := 0;
	t int := 0;
	k int := 1;
	p int := 0;
	jaro float8;
BEGIN
	IF alen = 0 OR blen = 0 THEN
		RETURN CASE WHEN alen = blen THEN 1 ELSE 0 END;
	END IF;
	FOR i IN 1..alen LOOP
		FOR j IN greatest(1, i - win)..least(blen, i + win) LOOP
			IF NOT bmatch[j] AND substr(a, i, 1) = substr(b, j, 1) THEN
				amatch[i] := true;
				bmatch[j] := true;
				m := m + 1;
				EXIT;
			END IF;
		END LOOP;
	END LOOP;
	IF m = 0 THEN
		RETURN 0;
	END IF;
	FOR i IN 1..alen LOOP
		IF amatch[i] THEN
			WHILE NOT bmatch[k] LOOP
				k := k + 1;
			END LOOP;
			IF substr(a, i, 1) <> substr(b, k, 1) THEN
				t := t + 1;
			END IF;
			k := k + 1;
		END IF;
	END LOOP;
	jaro := (m::float8 / alen + m::float8 / blen + (m - t / 2.0) / m) / 3;
	IF jaro <= 0.7 THEN
		RETURN jaro;
	END IF;
	WHILE p < least(4, alen, blen) AND substr(a, p + 1, 1) = substr(b, p + 1, 1) LOOP
		p := p + 1;
	END LOOP;
	RETURN jaro + p * 0.1 * (1 - jaro);
END
$$;

-- One token pair's score, 0 when they do not pair.
CREATE OR REPLACE FUNCTION bench.token_score(a text, b text) RETURNS float8
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
	s float8;
BEGIN
	IF a = b THEN
		RETURN 1;
	ELSIF length(a) = 1 OR length(b) = 1 THEN
		RETURN CASE WHEN left(a, 1) = left(b, 1) THEN 0.8 ELSE 0 END;
	ELSIF length(a) <= 2 OR length(b) <= 2 THEN
		RETURN 0;
	END IF;
	s := bench.jaro_winkler(least(a, b), greatest(a, b))
		 * (1 - 0.2 * (1 - least(length(a), length(b))::float8 / greatest(length(a), length(b))));
	RETURN CASE WHEN s >= 0.8 THEN s ELSE 0 END;
END
$$;

-- Token Jaro-Winkler of two normalised names.
CREATE OR REPLACE FUNCTION bench.name_score(a text, b text) RETURNS float8
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
	at text[] := string_to_array(a, ' ');
	bt text[] := string_to_array(b, ' ');
	apaired bool[] := array_fill(false, ARRAY[cardinality(at)]);
	bpaired bool[] := array_fill(false, ARRAY[cardinality(bt)]);
	pair record;
	num float8 := 0;
	den float8 := 0;
	aleft float8 := 0;
	bleft float8 := 0;
	pairs int := 0;
BEGIN
	FOR pair IN
		SELECT i, j, bench.token_score(x, y) AS s, length(x) + length(y) AS w
		FROM unnest(at) WITH ORDINALITY u(x, i), unnest(bt) WITH ORDINALITY v(y, j)
		ORDER BY 3 DESC, i, j
	LOOP
		EXIT WHEN pair.s = 0;
		CONTINUE WHEN apaired[pair.i] OR bpaired[pair.j];
		apaired[pair.i] := true;
		bpaired[pair.j] := true;
		num := num + pair.s * pair.w;
		den := den + pair.w;
		pairs := pairs + 1;
	END LOOP;
	FOR i IN 1..cardinality(at) LOOP
		IF NOT apaired[i] THEN aleft := aleft + length(at[i]); END IF;
	END LOOP;
	FOR j IN 1..cardinality(bt) LOOP
		IF NOT bpaired[j] THEN bleft := bleft + length(bt[j]); END IF;
	END LOOP;
	den := den + (CASE WHEN pairs >= 2 AND (aleft = 0 OR bleft = 0) THEN 0.3 ELSE 1 END) * (aleft + bleft);
	RETURN CASE WHEN den > 0 THEN num / den ELSE 0 END;
END
$$;

-- Screening in SQL: trigram candidates, PL/pgSQL scores, best per entity.
CREATE OR REPLACE FUNCTION bench.screen_plpgsql(qn text, threshold float8 DEFAULT 0.85, max_results int DEFAULT 10)
RETURNS TABLE (entity_id bigint, matched_name text, score float8)
LANGUAGE sql STABLE
SET pg_trgm.similarity_threshold = 0.3
AS $$
	SELECT DISTINCT ON (c.entity_id) c.entity_id, c.name, c.s
	FROM (SELECT n.entity_id, n.name, bench.name_score(qn, n.normalized) AS s
		  FROM (SELECT * FROM kyc_risk.watchlist_names n
				WHERE n.normalized % qn
				ORDER BY similarity(n.normalized, qn) DESC, n.id LIMIT 200) n) c
	WHERE c.s >= threshold
	ORDER BY c.entity_id, c.s DESC
	LIMIT max_results
$$;

-- bench/projections_fill.sql: :n projections in kyc_projections.onboarding_case_projections,
-- shaped like a year of a platform's cases: 50 partners (a few large ones),
-- statuses Draft 5%, InProgress 15%, PendingReview 10%, Approved 55%,
-- Rejected 15%; risk Low 60%, Medium 25%, High 10%, unassessed 5%; names
-- from 100 first and 100 last names.  Bulk-loaded with the triggers off (as a
-- restore would be, but faster), so the derived columns and case_counts are
-- filled here.  Run as a superuser in projections_api.
SELECT setseed(0.13);
SET session_replication_role = replica;
TRUNCATE kyc_projections.onboarding_case_projections;
DELETE FROM kyc_projections.case_counts;

CREATE TEMP TABLE first_names AS
SELECT row_number() OVER () - 1 AS i, name FROM unnest('{James,Mary,John,Patricia,Robert,Jennifer,Michael,Linda,William,Elizabeth,David,Barbara,Richard,Susan,Joseph,Jessica,Thomas,Sarah,Charles,Karen,Christopher,Nancy,Daniel,Lisa,Matthew,Betty,Anthony,Margaret,Mark,Sandra,Donald,Ashley,Steven,Kimberly,Paul,Emily,Andrew,Donna,Joshua,Michelle,Kenneth,Dorothy,Kevin,Carol,Brian,Amanda,George,Melissa,Edward,Deborah,Ronald,Stephanie,Timothy,Rebecca,Jason,Sharon,Jeffrey,Laura,Ryan,Cynthia,Jacob,Kathleen,Gary,Amy,Nicholas,Shirley,Eric,Angela,Jonathan,Helen,Stephen,Anna,Larry,Brenda,Justin,Pamela,Scott,Nicole,Brandon,Emma,Benjamin,Samantha,Samuel,Katherine,Gregory,Christine,Frank,Debra,Alexander,Rachel,Raymond,Catherine,Patrick,Carolyn,Jack,Janet,Dennis,Ruth,Jerry,Maria}'::text[]) name;
CREATE TEMP TABLE last_names AS
SELECT row_number() OVER () - 1 AS i, name FROM unnest('{Smith,Johnson,Williams,Brown,Jones,Garcia,Miller,Davis,Rodriguez,Martinez,Hernandez,Lopez,Gonzalez,Wilson,Anderson,Thomas,Taylor,Moore,Jackson,Martin,Lee,Perez,Thompson,White,Harris,Sanchez,Clark,Ramirez,Lewis,Robinson,Walker,Young,Allen,King,Wright,Scott,Torres,Nguyen,Hill,Flores,Green,Adams,Nelson,Baker,Hall,Rivera,Campbell,Mitchell,Carter,Roberts,Gomez,Phillips,Evans,Turner,Diaz,Parker,Cruz,Edwards,Collins,Reyes,Stewart,Morris,Morales,Murphy,Cook,Rogers,Gutierrez,Ortiz,Morgan,Cooper,Peterson,Bailey,Reed,Kelly,Howard,Ramos,Kim,Cox,Ward,Richardson,Watson,Brooks,Chavez,Wood,James,Bennett,Gray,Mendoza,Ruiz,Hughes,Price,Alvarez,Castillo,Sanders,Patel,Myers,Long,Ross,Foster,Jimenez}'::text[]) name;

INSERT INTO kyc_projections.onboarding_case_projections
	(case_id, type, status, partner_id, partner_name, partner_reference_id,
	 applicant_first_name, applicant_last_name, applicant_email, applicant_nationality, applicant_country,
	 risk_level, risk_score, risk_status, requires_manual_review,
	 created_at, updated_at, submitted_at, approved_at, rejected_at,
	 total_steps, completed_steps, progress_percentage, change_seq)
SELECT format('KYC-%s-%s', to_char(r.created_at, 'YYYYMMDD'), lpad(r.g::text, 10, '0')),
	CASE WHEN r.g % 10 = 0 THEN 'Company' ELSE 'Individual' END,
	r.status, format('partner-%s', lpad(r.partner::text, 2, '0')), format('Partner %s', r.partner),
	format('REF-%s-%s', r.partner, r.g),
	f.name, l.name, lower(format('%s.%s%s@%s', f.name, l.name, r.g % 1000,
		(ARRAY['example.com','mail.test','inbox.example','post.example','corp.example'])[1 + r.g % 5])),
	'GB', 'GB',
	r.risk_level, CASE r.risk_level WHEN 'Low' THEN 15 WHEN 'Medium' THEN 45 WHEN 'High' THEN 80 END,
	CASE WHEN r.risk_level IS NOT NULL THEN 'Completed' END,
	r.risk_level = 'High' OR (r.risk_level IS NOT NULL AND r.u < 0.03),
	r.created_at, r.created_at, r.submitted_at,
	CASE WHEN r.status = 'Approved' THEN r.decided_at END,
	CASE WHEN r.status = 'Rejected' THEN r.decided_at END,
	8, 4, 50.00, r.g
FROM (
	SELECT g, s.status, s.u, s.created_at, x.submitted_at, s.partner,
		CASE WHEN s.status IN ('Approved', 'Rejected')
			THEN x.submitted_at + (random() ^ 2) * interval '10 days' + interval '10 minutes' END AS decided_at,
		CASE WHEN s.status = 'Draft' AND s.u < 0.5 THEN NULL
			 WHEN s.v < 0.6 THEN 'Low' WHEN s.v < 0.85 THEN 'Medium' WHEN s.v < 0.95 THEN 'High' END AS risk_level
	FROM (
		SELECT g, t.status, t.u, t.v, t.partner,
			CASE WHEN t.status = 'PendingReview' THEN t.sub - random() * interval '3 days'
				 ELSE now() - random() * interval '365 days' - interval '12 days' END AS created_at,
			t.sub
		FROM (
			SELECT g, random() AS u, random() AS v, 1 + floor(50 * random() ^ 2)::int AS partner,
				now() - (random() ^ 3) * interval '20 days' AS sub,
				(ARRAY['Draft','InProgress','InProgress','InProgress','PendingReview','PendingReview',
					   'Approved','Approved','Approved','Approved','Approved','Approved','Approved',
					   'Approved','Approved','Approved','Approved','Rejected','Rejected','Rejected'])
					[1 + floor(random() * 20)::int] AS status
			FROM generate_series(1, :n) g
		) t
	) s(g, status, u, v, partner, created_at, sub)
	CROSS JOIN LATERAL (SELECT CASE
		WHEN s.status = 'PendingReview' THEN s.sub
		WHEN s.status IN ('Approved', 'Rejected') THEN s.created_at + random() * interval '3 days' END AS submitted_at) x
) r
JOIN first_names f ON f.i = r.g % 100
JOIN last_names l ON l.i = (r.g / 100 + r.g * 7) % 100;

INSERT INTO kyc_projections.case_counts (partner_id, status, risk_level, requires_manual_review, cases)
SELECT partner_id, status, risk_level, requires_manual_review, count(*)
FROM kyc_projections.onboarding_case_projections
GROUP BY 1, 2, 3, 4;
SELECT setval('kyc_projections.change_seq', :n);
RESET session_replication_role;
VACUUM (ANALYZE) kyc_projections.onboarding_case_projections;
VACUUM (ANALYZE) kyc_projections.case_counts;

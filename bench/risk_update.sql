-- One factor's score changes; its assessment is rescored (@VARIANT@ ids).
\set n random(1, 1000)
\set s random(0, 100)
UPDATE @FACTORS@ SET score = :s
WHERE risk_assessment_id = (SELECT @ID@ FROM bench.ids WHERE n = :n) AND type = 'Geography';

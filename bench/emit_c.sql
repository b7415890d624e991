-- One event per transaction through the C kyc_events.emit().
SELECT kyc_events.emit('bench.created', 'KYC-20261127-0000000001', '{"status": "Draft", "type": "Individual"}');

"""Personal data in the security app's models, for the processing register (AVG art. 30;
ADR 0105).

Every concrete field of every model of this app is either in PERSONAL or in NOT_PERSONAL;
tests/security/test_register.py fails otherwise. The keys are explained in
security/register.py; nothing here imports anything.
"""

PERSONAL = {}
NOT_PERSONAL = {}

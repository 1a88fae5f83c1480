"""Demo data for the reports: nothing heavy. The dashboard computes from the demo referrals;
no PDF is generated at seed time (request one in the portal)."""


def seed(ctx):
    stdout = ctx.get("stdout")
    if stdout is not None:
        stdout.write("reporting: the dashboard and reports use the demo referrals (no PDF generated).\n")

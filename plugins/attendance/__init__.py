"""The attendance plugin (考勤): shifts and rosters, punches, lateness and absence, leave, shift
swaps and handover, with the score events they cause.

Work in progress (issue 4): the pure rules live in `days.py` (deriving an agent-day from its
shift and punches) and `requests.py` (leave and swap checks), with the holiday calendar in
`calendar.py`. The hook implementations, pages and commands that register this package as a
built-in plugin come next; until then it is not in `DEFAULT_PLUGINS`.
"""

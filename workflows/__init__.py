"""The case workflow and deadline policy: pure Python, no Flask, no SQL.

`case_flow` holds the state machine as data, `deadlines` the policy, `calendar` the
working days, `clock` the time-zone rules, `vocabulary` the names and Chinese labels.
"""

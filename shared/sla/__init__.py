"""SLA arithmetic: working calendars, targets, clocks, stages and states."""

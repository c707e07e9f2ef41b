"""The embedded development stack that `tanggap run` (and so `make run`) starts.

- `layout`: where the stack keeps its data, logs and outbox under the var folder;
- `plan`: which servers and services to start, with which commands and environment;
- `ports`: checks that each port the stack needs is free, before anything starts;
- `children`: child processes, each in its own process group, and how they stop;
- `database`: the configured MongoDB for one command, started for it when needed;
- `supervisor`: starts everything in order, reports a child that dies, stops all.
"""

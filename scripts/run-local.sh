#!/usr/bin/env bash
echo "make run: the operator is not built yet" >&2
exit 1

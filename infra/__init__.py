"""Provisioning shared by `make run` (embedded emulator) and `deploy.sh` (AWS)."""

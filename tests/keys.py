"""The key channel secrets are encrypted with in tests, in process and in the processes they
start: one per run, so nothing depends on a developer's key file."""

from cryptography.fernet import Fernet

SECRET_KEY = Fernet.generate_key().decode()

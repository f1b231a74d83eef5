"""Run the test OpenID Connect provider in a second process (see serve.py), for a pytest fixture."""

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "provider-assurance-test"
CLIENT_SECRET = "test-client-secret-not-real"  # a throwaway test provider's
USERNAME, PASSWORD = "sso.user", "idp-test-password"


@dataclass
class Provider:
    url: str
    email: str
    process: subprocess.Popen

    def settings(self):
        """What the product's environment variables would say (README: single sign-on)."""
        return {
            "OIDC_ENABLED": True,
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/o/authorize/",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/o/token/",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/o/userinfo/",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/o/.well-known/jwks.json",
            "OIDC_RP_SIGN_ALGO": "RS256",
        }


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(tmp_path, redirect_uris, email):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OIDC_TEST_DB": str(tmp_path / "idp.sqlite3"),
        "OIDC_TEST_RSA_KEY": pem,
    }
    env.pop("DATABASE_URL", None)
    args = [str(port), CLIENT_ID, CLIENT_SECRET, " ".join(redirect_uris), USERNAME, PASSWORD, email]
    log = open(tmp_path / "idp.log", "w")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module, fixed arguments
        [sys.executable, "-m", "tests.oidc_provider.serve", *args], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The test identity provider stopped: {(tmp_path / 'idp.log').read_text()}")
        try:
            if requests.get(f"{url}/o/.well-known/openid-configuration", timeout=2).status_code == 200:
                return Provider(url=url, email=email, process=process)
        except requests.ConnectionError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("The test identity provider did not start within a minute.")


def stop(provider):
    provider.process.terminate()
    try:
        provider.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        provider.process.kill()

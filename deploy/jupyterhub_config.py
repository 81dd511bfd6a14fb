"""JupyterHub on one machine, for tests/browser/test_hub.py (and a try-out on a laptop).

Everything comes from environment variables, set by the test:

  BPCOURSE_HUB_DIR        folder for the hub's database, cookie secret and the users' homes
  BPCOURSE_HUB_PORT       public port of the proxy, on 127.0.0.1
  BPCOURSE_HUB_API_PORT   port of the hub itself
  BPCOURSE_PROXY_API_PORT port of the proxy's REST API
  BPCOURSE_HUB_PROXY      configurable-http-proxy (npm) to run
  BPCOURSE_HUB_ENV        the users' Python (build/hub/python): requirements.lock,
                          deploy/hub-requirements.txt and the course's package installed
  BPCOURSE_HUB_TOKEN      an API token for the test (the service "bpcourse-test", admin)

Users log in with any name and password (DummyAuthenticator: never on a network) and get a
JupyterLab server started as a local process (SimpleLocalProcessSpawner), with its own home
folder under BPCOURSE_HUB_DIR/home/<name>. Everyone runs as the hub's own system user, so
the homes are separate but nothing enforces it; a real hub runs each student as their own
user (The Littlest JupyterHub) or in their own container (Zero to JupyterHub): see
deploy/README.md. ``PIP_USER=1`` makes a student's ``pip install`` (and so
``python -m bpcourse update``) install into their own home, as on those hubs.
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821  (JupyterHub provides it)

base = Path(os.environ["BPCOURSE_HUB_DIR"])
env = Path(os.environ["BPCOURSE_HUB_ENV"])

c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = int(os.environ["BPCOURSE_HUB_PORT"])
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ["BPCOURSE_HUB_API_PORT"])
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ['BPCOURSE_PROXY_API_PORT']}"
c.ConfigurableHTTPProxy.command = [os.environ["BPCOURSE_HUB_PROXY"]]
c.ConfigurableHTTPProxy.should_start = True
c.JupyterHub.db_url = f"sqlite:///{base / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(base / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True

c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(base / "home" / "{username}")
c.Spawner.cmd = [str(env / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.args = [
    "--allow-root",  # tests run as root here; harmless otherwise
    "--LabApp.expose_app_in_browser=True",  # the test types an answer through it
]
c.Spawner.environment = {
    "PATH": f"{env / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}",
    "PIP_USER": "1",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}
c.Spawner.start_timeout = 90
c.Spawner.http_timeout = 90
# A request to start a server returns at once (202) instead of waiting up to 10 s, so the
# test's three servers start together, as a class's do.
c.JupyterHub.tornado_settings = {"slow_spawn_timeout": 0}

c.JupyterHub.services = [{"name": "bpcourse-test", "api_token": os.environ["BPCOURSE_HUB_TOKEN"]}]
c.JupyterHub.load_roles = [
    {
        "name": "bpcourse-test",
        "scopes": ["admin:users", "admin:servers", "list:users", "read:users"],
        "services": ["bpcourse-test"],
    }
]

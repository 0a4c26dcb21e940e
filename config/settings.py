"""DeputyHome settings: one file, driven by the environment.

Environment variables:
    SECRET_KEY      required when DEBUG is off
    DEBUG           "1"/"true" to enable debug (default off; `make run` turns it on)
    ALLOWED_HOSTS   comma-separated host names (default: localhost names)
    DATABASE_URL    e.g. postgres://user:pass@host:5432/deputyhome; default: SQLite file var/db.sqlite3
"""

import os
from pathlib import Path

import dj_database_url
from django.conf import global_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("DEPUTYHOME_TESTING"):
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

# Personal data at rest: a 64-byte key, base64 (python -c "import os,base64;print(base64.urlsafe_b64encode(os.urandom(64)).decode())").
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", "")
if not FIELD_ENCRYPTION_KEY and not DEBUG and not env_bool("DEPUTYHOME_TESTING"):
    raise RuntimeError("FIELD_ENCRYPTION_KEY must be set when DEBUG is off")

# The audit chain's HMAC keys, kept out of the database: "id1:key1,id2:key2", the current one first; older
# ones stay listed to verify older rows (AUDIT_KEY=key alone means "k1:key"). See deputyhome/audit/chain.py.
AUDIT_KEYS = os.environ.get("AUDIT_KEYS", "") or (
    f"k1:{os.environ['AUDIT_KEY']}" if os.environ.get("AUDIT_KEY") else ""
)
if not AUDIT_KEYS:
    if env_bool("DEPUTYHOME_TESTING"):
        AUDIT_KEYS = "test:deputyhome-fixed-test-audit-key"
    elif DEBUG:
        AUDIT_KEYS = "dev:" + SECRET_KEY
    else:
        raise RuntimeError("AUDIT_KEY (or AUDIT_KEYS) must be set when DEBUG is off")
# Where audit_purge appends a checkpoint of the chain head (audit_checkpoint --out takes any file).
AUDIT_CHECKPOINT_FILE = os.environ.get(
    "AUDIT_CHECKPOINT_FILE", "" if env_bool("DEPUTYHOME_TESTING") else str(BASE_DIR / "var" / "audit-checkpoints.log")
)

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h.strip()
]

INSTALLED_APPS = [
    # First, so that its `createsuperuser` (a refusal pointing to `create_sysadmin`) replaces Django's.
    "deputyhome.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_filters",
    "django_htmx",
    "deputyhome.core",
    "deputyhome.audit",
    "deputyhome.figures",
    "deputyhome.organisation",
    "deputyhome.deputies",
    "deputyhome.reports",
    "deputyhome.suggestions",
    "deputyhome.motions",
    "deputyhome.supervision",
    "deputyhome.notifications",
    "deputyhome.activities",
    "deputyhome.opinions",
    "deputyhome.training",
    "deputyhome.records",
    "deputyhome.demo",
]

MIDDLEWARE = [
    "deputyhome.core.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "deputyhome.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "deputyhome.accounts.security.SessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "deputyhome.accounts.otp.OTPRequiredMiddleware",
    "deputyhome.deputies.first_login.FirstLoginCheckMiddleware",
    "deputyhome.accounts.security.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "deputyhome.audit.middleware.ClientAddressMiddleware",
    "deputyhome.core.middleware.DatabaseOutageMiddleware",
]

# Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (addresses or CIDRs, comma-separated), e.g.
# "127.0.0.1" for nginx on the same host. From any other peer both headers are dropped.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "deputyhome.core.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,  # a kept-open connection that died (database restart) is dropped, not reused
    )
}
# A city-wide yearly figure changed by a write is recomputed at the next reading once this many seconds have passed
# since it was computed (deputyhome/figures); tests see every change at once.
FIGURES_GRACE_SECONDS = int(os.environ.get("FIGURES_GRACE_SECONDS", "0" if env_bool("DEPUTYHOME_TESTING") else "120"))

if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The planner's price of reading a page out of order, for the SSDs a deployment runs on (PostgreSQL's default, 4,
    # is a spinning disk's): with it, a small set of ids is looked up along an index rather than the whole table
    # hashed (decision 154). PG_RANDOM_PAGE_COST= (empty) leaves the server's own value.
    random_page_cost = os.environ.get("PG_RANDOM_PAGE_COST", "1.1")
    if random_page_cost:
        try:
            float(random_page_cost)
        except ValueError:
            raise RuntimeError(f"PG_RANDOM_PAGE_COST must be a number, not {random_page_cost!r}") from None
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c random_page_cost={random_page_cost}".strip()

if env_bool("DEPUTYHOME_TESTING"):
    # Live-server threads must not keep connections open past a test database's teardown.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets readers go on while one writes; IMMEDIATE takes the write lock when a transaction starts, so
    # two writers queue (busy timeout 20 s) instead of one failing with "database is locked" on upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "deputyhome.accounts.security.LocalBlocklistValidator"},
    {"NAME": "deputyhome.accounts.security.StaffComplexityValidator"},
]

# The default first (what every password a person chooses is hashed with); last, the fast hash of the machine-made
# one-time passwords of a batch of deputies' accounts only (accounts/hashers.py).
PASSWORD_HASHERS = [*global_settings.PASSWORD_HASHERS, "deputyhome.accounts.hashers.OneTimeCodeHasher"]
if env_bool("DEPUTYHOME_TESTING") and not env_bool("REAL_PASSWORD_HASHING"):
    # Tests log in hundreds of personas; a slow hash would dominate the run.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", PASSWORD_HASHERS[-1]]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or env_bool("DEPUTYHOME_TESTING")
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

FILTERS_EMPTY_CHOICE_LABEL = "全部"

# A TOTP second factor for staff and administrators. On by default; `make run` (the local demo) and the
# test suite turn it off, and the tests of the second factor turn it back on.
OTP_REQUIRED = env_bool("OTP_REQUIRED", not env_bool("DEPUTYHOME_TESTING"))
OTP_TOTP_ISSUER = "代表之家"

# Notifications: e-mail through Django's backends, SMS through a pluggable backend (default: the log).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
# Seconds to wait for the mail server: Django's SMTP backend waits for ever by default, and a mail server that does not
# answer would hold the page that sends (a write's e-mails go out in its request, decision 157) until the app server
# kills it. As long as the SMS platform is waited for (HttpSmsBackend.TIMEOUT).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "deputyhome@localhost")
SMS_BACKEND = os.environ.get(
    "SMS_BACKEND",
    "deputyhome.notifications.services."
    + ("LocmemSmsBackend" if env_bool("DEPUTYHOME_TESTING") else "LoggingSmsBackend"),
)
# HttpSmsBackend: the SMS platform's address and token (README, "短信").
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
# 首次登录短信验证: a deputy's account whose password is a one-time one (a 开通单's, or one an administrator set)
# proves, before the password change, that it holds the phone on the deputy's record (decision 145). Needs a
# real SMS_BACKEND in production: the logging one writes the code to the server's log.
FIRST_LOGIN_SMS = env_bool("FIRST_LOGIN_SMS", True)
SITE_URL = os.environ.get("SITE_URL", "")
# The committee whose name heads every printed page (print.css).
COMMITTEE_NAME = os.environ.get("DEPUTYHOME_COMMITTEE_NAME", "恩施市人大常委会代表工作委员会")
# The address printed in station and deputy QR codes (defaults to the request's host).
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", SITE_URL)
# 结对联系群众: the households each deputy in a group keeps paired with at least (the local norm; 10 in most).
PAIRING_HOUSEHOLDS_MIN = int(os.environ.get("PAIRING_HOUSEHOLDS_MIN", "10"))

# Imports: a roster larger than this is refused before it is parsed.
ROSTER_MAX_BYTES = int(os.environ.get("ROSTER_MAX_BYTES", str(5 * 1024 * 1024)))
ROSTER_MAX_ROWS = int(os.environ.get("ROSTER_MAX_ROWS", "20000"))
# Before openpyxl opens an .xlsx (a zip of XML parts), deputyhome.core.xlsx.inspect_package looks
# inside. A 20000-row roster written by openpyxl unpacks to about 20 MB, its sheet compressed
# about 17:1, in 9 entries, with 13 columns and 260000 cells; a zip bomb compresses 1000:1.
# Refused: more than 50 MB unpacked, an entry over 1 MB compressed more than 100:1, more than
# 500 entries, a cell past column 100 (CV) or past row ROSTER_MAX_ROWS + 1000 (title and blank
# rows), or more than 500000 cells and merged cells in all (openpyxl needs ~400 bytes a cell).
ROSTER_XLSX_MAX_UNCOMPRESSED = int(os.environ.get("ROSTER_XLSX_MAX_UNCOMPRESSED", str(50 * 1024 * 1024)))
ROSTER_XLSX_MAX_RATIO = int(os.environ.get("ROSTER_XLSX_MAX_RATIO", "100"))
ROSTER_XLSX_MAX_ENTRIES = int(os.environ.get("ROSTER_XLSX_MAX_ENTRIES", "500"))
ROSTER_XLSX_MAX_CELLS = int(os.environ.get("ROSTER_XLSX_MAX_CELLS", "500000"))
ROSTER_MAX_COLUMNS = int(os.environ.get("ROSTER_MAX_COLUMNS", "100"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 12 * 60 * 60  # the absolute limit; the idle limit is enforced by SessionTimeoutMiddleware
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = False
CSRF_FAILURE_VIEW = "deputyhome.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    # Production: HTTPS only (the deployment puts nginx with TLS in front of gunicorn).
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    # The test suite serves plain HTTP on localhost (live server, test client).
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not env_bool("DEPUTYHOME_TESTING"))
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SECURE_REFERRER_POLICY = "same-origin"
    SILENCED_SYSTEM_CHECKS = [] if env_bool("SECURE_HSTS_PRELOAD", False) else ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "filters": {"drop_outage_tracebacks": {"()": "deputyhome.core.middleware.DropDatabaseOutageTracebacks"}},
    "loggers": {"django.request": {"filters": ["drop_outage_tracebacks"]}},
}

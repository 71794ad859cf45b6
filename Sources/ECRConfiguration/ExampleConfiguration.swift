/// What `qfecr config init` writes: every setting, commented, with its default.
public enum ExampleConfiguration {
    public static let text = """
    # qfecr configuration. Lines are `key = value`; `#` starts a comment.
    # Keys before any section are the defaults; a [profile NAME] section overrides them
    # when qfecr runs with --profile NAME. Command-line flags override both.
    # This file may hold secrets: keep it private (chmod 600).

    # How to reach the terminal: http, https, tcp, serial or cloud.
    transport = http
    # The terminal's LAN address (shown in the ECR app on the terminal).
    # host = 192.168.1.50
    # Port: 9001 for http/https, 9002 for tcp.
    # port = 9001
    # tcp framing: packet (QFPay's USB packet format) or raw (bare body).
    # tcp_framing = packet

    # USB serial: the adapter's device and speed (QFPay terminals use 9600 8N1).
    # device = /dev/ttyUSB0
    # baud = 9600

    # HTTPS trust. By default the terminal's chain must end in QFPay's QFECR root, installed in the
    # system store (see the README). ca_file replaces the store; pin names another root by its
    # SHA-256 fingerprint (or `none`, only if you know why).
    # ca_file = /usr/local/share/ca-certificates/qfecr-ca3.crt
    # pin = qfecr
    # verify_hostname = no

    # Encryption of requests: on unless it was turned off in the merchant portal.
    encryption = on
    # a8, a8s (every channel) or a920 (QR channels only).
    terminal_model = a8
    # This till's id: part of every out_trade_no, so two tills of one merchant must differ. By default
    # it is T and 5 characters derived from this machine's id (/etc/machine-id): different on every
    # till, the same across restarts. `qfecr doctor` shows it. Set it only to choose your own.
    # till_id = T01

    # The POS-KEY (Merchant Portal → Settings → Devices Settings → POS Key Mgmt).
    # Prefer the QFECR_KEY environment variable; if you put it here, chmod 600 this file.
    # pos_key = 0123456789abcdef0123456789abcdef

    # ECR Cloud (transport = cloud).
    # cloud_app_code = YOUR_APP_CODE
    # cloud_client_key = (or QFECR_CLIENT_KEY)
    # cloud_base_url = production
    # cloud_sign_type = md5
    # terminal_id = the terminal's termid
    # merchant_id = your mchid, if QFPay gave you one

    # Cloud notifications: listen here for QFPay's posts (key: notify_key or QFECR_NOTIFY_KEY).
    # notify_listen = 0.0.0.0:8080

    # Timing, in seconds.
    connect_timeout = 5
    request_timeout = 15
    poll_interval = 2
    grace = 30
    payment_timeout = 120

    # Largest sale accepted, in dollars.
    max_amount = 999999.99
    currency = HKD
    # en or zh-Hant.
    language = en
    theme = default
    # Where the journal lives (default: $XDG_DATA_HOME/qfecr, else ~/.local/share/qfecr). An absolute
    # path or one starting with ~/; every till process on this machine must use the same one.
    # journal_dir = /var/lib/qfecr

    # [profile counter2]
    # host = 192.168.1.51
    # till_id = T02

    """
}

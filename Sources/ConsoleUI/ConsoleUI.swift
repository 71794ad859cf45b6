// The full-screen console (screen model, panes, themes, the ncurses backend) lives here.
// Until it does, the module is empty and `qfecr demo` says what the console will be.

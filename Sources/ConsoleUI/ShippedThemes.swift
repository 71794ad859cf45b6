// Generated from the files in themes/ so the installed binary carries them; do not edit.
// ThemeTests.testEmbeddedThemesMatchTheThemesFolder checks it; QFECR_RECORD=1 swift test rewrites it.
enum ShippedThemes {
    static let files: [String: String] = [
        "default": #"""
# qfecr theme "default": for dark terminals
# One role a line:  ROLE  FOREGROUND  BACKGROUND  [ATTRIBUTE ...]
# Colours: default black red green yellow blue magenta cyan white, and bright-black … bright-white
#   (on an 8-colour terminal a bright foreground shows as the plain colour in bold).
# Attributes: bold dim underline reverse standout, or - for none.
# Shipped themes keep WCAG contrast in xterm's palette on 256 and 8 colours: 4.5:1 for text, 3:1 for bold
#   text and border lines (README, "Themes").
# A role left out looks like "normal". Copy this file to ~/.config/qfecr/themes/NAME to make your own.
normal       default        default   -
approved     green          default   bold
declined     red            default   bold
pending      yellow         default   bold
unresolved   bright-white   red       bold
cancelled    magenta        default   bold
rejected     red            default   bold
selection    black          cyan      -
border       bright-black   default   -
title        cyan           default   bold
muted        bright-black   default   -
input        bright-white   default   bold
error        red            default   bold
status       default        default   -
keybar       default        default   -
key          cyan           default   bold
banner       bright-white   red       bold
dialog       default        default   -
customer     yellow         default   -
"""#,
        "high-contrast": #"""
# qfecr theme "high-contrast": strong colours and reverse bands, for bright rooms and weak eyes
# One role a line:  ROLE  FOREGROUND  BACKGROUND  [ATTRIBUTE ...]
# Colours: default black red green yellow blue magenta cyan white, and bright-black … bright-white
#   (on an 8-colour terminal a bright foreground shows as the plain colour in bold).
# Attributes: bold dim underline reverse standout, or - for none.
# Shipped themes keep WCAG contrast in xterm's palette on 256 and 8 colours: 4.5:1 for text, 3:1 for bold
#   text and border lines (README, "Themes").
# A role left out looks like "normal". Copy this file to ~/.config/qfecr/themes/NAME to make your own.
normal       bright-white   black     -
approved     black          green     bold
declined     bright-white   red       bold
pending      black          yellow    bold
unresolved   bright-white   red       bold underline
cancelled    black          magenta   bold
rejected     bright-white   red       bold
selection    black          white     bold
border       bright-white   black     -
title        bright-yellow  black     bold underline
muted        white          black     -
input        bright-yellow  black     bold
error        bright-white   red       bold
status       bright-white   black     bold
keybar       bright-white   black     -
key          black          cyan      bold
banner       bright-white   red       bold
dialog       bright-white   black     -
customer     bright-yellow  black     bold
"""#,
        "light": #"""
# qfecr theme "light": for light (white) terminals
# One role a line:  ROLE  FOREGROUND  BACKGROUND  [ATTRIBUTE ...]
# Colours: default black red green yellow blue magenta cyan white, and bright-black … bright-white
#   (on an 8-colour terminal a bright foreground shows as the plain colour in bold).
# Attributes: bold dim underline reverse standout, or - for none.
# Shipped themes keep WCAG contrast in xterm's palette on 256 and 8 colours: 4.5:1 for text, 3:1 for bold
#   text and border lines (README, "Themes").
# A role left out looks like "normal". Copy this file to ~/.config/qfecr/themes/NAME to make your own.
normal       default        default   -
approved     black          green     bold
declined     red            default   bold
pending      blue           default   bold
unresolved   white          red       bold
cancelled    magenta        default   bold
rejected     red            default   bold
selection    white          blue      -
border       bright-black   default   -
title        blue           default   bold
muted        default        default   -
input        black          default   bold
error        red            default   bold
status       default        default   -
keybar       default        default   -
key          blue           default   bold
banner       white          red       bold
dialog       default        default   -
customer     magenta        default   -
"""#,
        "mono": #"""
# qfecr theme "mono": no colour at all (used when NO_COLOR is set): attributes, words and glyphs only
# One role a line:  ROLE  FOREGROUND  BACKGROUND  [ATTRIBUTE ...]
# Colours: default black red green yellow blue magenta cyan white, and bright-black … bright-white
#   (on an 8-colour terminal a bright foreground shows as the plain colour in bold).
# Attributes: bold dim underline reverse standout, or - for none.
# Shipped themes keep WCAG contrast in xterm's palette on 256 and 8 colours: 4.5:1 for text, 3:1 for bold
#   text and border lines (README, "Themes").
# A role left out looks like "normal". Copy this file to ~/.config/qfecr/themes/NAME to make your own.
normal       default        default   -
approved     default        default   bold
declined     default        default   bold underline
pending      default        default   -
unresolved   default        default   bold reverse
cancelled    default        default   underline
rejected     default        default   bold underline
selection    default        default   reverse
border       default        default   -
title        default        default   bold
muted        default        default   dim
input        default        default   bold
error        default        default   bold
status       default        default   -
keybar       default        default   -
key          default        default   reverse
banner       default        default   bold reverse
dialog       default        default   -
customer     default        default   underline
"""#,
    ]
}

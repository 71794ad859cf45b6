import ECRProtocol

/// The technician's keys: `o` settings, `d` the live doctor, `w` the profile list, and the keys
/// inside them. Pure, like `ConsoleReducer`: what may not happen now is refused with why.
enum CommissioningReducer {
    static func open(_ action: KeyAction, _ state: ViewState, till: TillState) -> (ViewState, Intent?) {
        var view = state
        let facts = till.commissioning
        guard let sheet = facts.profile else { return refuse(view, Strings.noSettings) }
        switch action {
        case .settings:
            view.dialog = .commissioning(.settings(scroll: 0))
        case .doctor:
            if let why = doctorBlocker(till) { return refuse(view, why) }
            view.dialog = .commissioning(.doctor(scroll: 0, follows: true))
            return (view, .commissioning(.runDoctor))
        case .profiles:
            guard facts.profiles.count > 1 else {
                let why: LocalizedText
                switch sheet.source {
                case .builtIn: why = Strings.oneProfileDemo
                case .noFile(let path): why = Strings.noConfigFile(path)
                case .file(let path): why = Strings.oneProfile(Strings.profileName(sheet.name), path)
                }
                view.notice = Notice(why, role: .muted)
                return (view, nil)
            }
            view.dialog = .commissioning(.profiles(selected: facts.profiles.firstIndex(where: \.isActive) ?? 0))
        default:
            break
        }
        return (view, nil)
    }

    static func reduce(_ state: ViewState, _ open: CommissioningView, key: Key, till: TillState) -> (ViewState, Intent?) {
        var view = state
        let action = KeyTable.action(for: key)
        switch open {
        case .settings(let scroll, _):
            if key == .escape || action == .settings { view.dialog = nil; return (view, nil) }
            guard let count = settingsLines(view, till) else { view.dialog = nil; return (view, nil) }
            let next = scrolled(scroll, key: key, lines: count, height: view.height)
            // End, or scrolling down to the last line, keeps the view at its end.
            let atEnd = key == .end || (next > 0 && next == lastPage(lines: count, height: view.height))
            view.dialog = .commissioning(.settings(scroll: next, atEnd: atEnd))
        case .doctor(let scroll, let follows):
            guard let progress = till.commissioning.doctor else { view.dialog = nil; return (view, nil) }
            if key == .escape {
                view.dialog = nil
                return (view, progress.finished ? nil : .commissioning(.stopDoctor))
            }
            if action == .doctor {
                // Again, once this run is done (a fix made, a cable plugged in).
                guard progress.finished else { return (view, nil) }
                view.dialog = .commissioning(.doctor(scroll: 0, follows: true))
                return (view, .commissioning(.runDoctor))
            }
            let count = doctorLines(progress, view)
            let height = ExchangeDetail.bodyHeight(forWindowHeight: view.height)
            // Scrolling starts from where a following view shows it: its last page.
            let from = follows ? max(0, count - height) : scroll
            let next = scrolled(from, key: key, lines: count, height: view.height)
            guard next != from || key == .end else { return (view, nil) }
            view.dialog = .commissioning(.doctor(scroll: next, follows: next >= count - height))
        case .profiles(var selected):
            let profiles = till.commissioning.profiles
            switch key {
            case .escape:
                view.dialog = nil
            case .up:
                selected = max(0, selected - 1)
                view.dialog = .commissioning(.profiles(selected: selected))
            case .down:
                selected = min(profiles.count - 1, selected + 1)
                view.dialog = .commissioning(.profiles(selected: selected))
            case .enter:
                guard selected < profiles.count else { return (view, nil) }
                let choice = profiles[selected]
                let name = Strings.profileName(choice.name)
                if choice.isActive {
                    view.dialog = nil
                    view.notice = Notice(Strings.alreadyOn(name), role: .muted)
                    return (view, nil)
                }
                if let problem = choice.problem { return refuse(view, Strings.profileUnusable(problem)) }
                if choice.endpoint == nil { return refuse(view, Strings.profileUnusable(Strings.profileNoTerminal.english)) }
                if let why = switchBlocker(till) { return refuse(view, why) }
                view.dialog = nil
                view.notice = Notice(Strings.switching(name), role: .muted)
                return (view, .commissioning(.switchProfile(choice.name)))
            default:
                if action == .profiles { view.dialog = nil }
            }
        }
        return (view, nil)
    }

    /// The window changed size and the pages wrap anew: a page read to its end stays at its end, any
    /// other keeps its place but never past the new end.
    static func resized(_ open: CommissioningView, in view: ViewState, till: TillState) -> CommissioningView {
        guard !view.isTooSmall else { return open }
        switch open {
        case .settings(let scroll, let atEnd):
            guard let count = settingsLines(view, till) else { return open }
            let end = lastPage(lines: count, height: view.height)
            return .settings(scroll: atEnd ? end : min(scroll, end), atEnd: atEnd)
        case .doctor(let scroll, let follows):
            guard let progress = till.commissioning.doctor else { return open }
            return .doctor(scroll: min(scroll, lastPage(lines: doctorLines(progress, view), height: view.height)), follows: follows)
        case .profiles:
            return open
        }
    }

    /// The settings page's length in this window, in its longer language; nil without a profile.
    private static func settingsLines(_ view: ViewState, _ till: TillState) -> Int? {
        guard let sheet = till.commissioning.profile else { return nil }
        let width = ExchangeDetail.bodyWidth(forWindowWidth: view.width)
        return CommissioningPages.longest { CommissioningPages.settings(sheet, width: width, language: $0, glyphs: .unicode) }
    }

    private static func doctorLines(_ progress: DoctorProgress, _ view: ViewState) -> Int {
        let width = ExchangeDetail.bodyWidth(forWindowWidth: view.width)
        return CommissioningPages.longest { CommissioningPages.doctor(progress, width: width, language: $0, glyphs: .unicode) }
    }

    /// The scroll that shows a page's last line.
    private static func lastPage(lines: Int, height windowHeight: Int) -> Int {
        max(0, lines - ExchangeDetail.bodyHeight(forWindowHeight: windowHeight))
    }

    /// ↑/↓ a line, PgUp/PgDn a page, Home/End the ends; bounded by the page's longest language.
    private static func scrolled(_ scroll: Int, key: Key, lines: Int, height windowHeight: Int) -> Int {
        let height = ExchangeDetail.bodyHeight(forWindowHeight: windowHeight)
        let page = max(1, height - 1)
        var next = scroll
        switch key {
        case .up: next -= 1
        case .down: next += 1
        case .pageUp: next -= page
        case .pageDown: next += page
        case .home: next = 0
        case .end: next = lines
        default: break
        }
        return max(0, min(next, lastPage(lines: lines, height: windowHeight)))
    }

    private static func refuse(_ state: ViewState, _ text: LocalizedText) -> (ViewState, Intent?) {
        var view = state
        view.notice = Notice(text, role: .error)
        return (view, nil)
    }

    // MARK: What blocks what

    /// Why the doctor may not start now: it talks to the terminal a sale or a request is using.
    static func doctorBlocker(_ till: TillState) -> LocalizedText? {
        if let running = till.running { return Strings.doctorWaitsForSale(running.outTradeNo) }
        if till.commissioning.switchingTo != nil { return Strings.busySwitching }
        if till.commissioning.doctor?.isBusy == true { return Strings.doctorStillFinishing }
        if till.link == .busy { return Strings.doctorWaitsForTerminal }
        return nil
    }

    /// Why the console may not leave this terminal now: something is open at it.
    static func switchBlocker(_ till: TillState) -> LocalizedText? {
        if let running = till.running { return Strings.switchWaitsForSale(running.outTradeNo) }
        if let open = till.unresolved.first { return Strings.switchWaitsForUnresolved(open.outTradeNo) }
        if till.commissioning.switchingTo != nil { return Strings.alreadySwitching }
        if till.commissioning.doctor?.isBusy == true { return Strings.switchWaitsForDoctor }
        if till.link == .busy { return Strings.switchWaitsForTerminal }
        return nil
    }

    /// Why a new sale must wait: the doctor's last check is still with the terminal, or the till is
    /// being switched to another one.
    static func saleBlocker(_ till: TillState) -> LocalizedText? {
        if till.commissioning.switchingTo != nil { return Strings.busySwitching }
        if till.commissioning.doctor?.isBusy == true { return Strings.saleWaitsForDoctor }
        return nil
    }
}

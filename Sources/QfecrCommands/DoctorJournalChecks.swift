import ECRConfiguration
import ECREngine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The journal, read only: its directory is writable, the file is private, what it holds. Doctor
/// neither creates nor locks anything here, so it may run while `qfecr pay` waits.
extension Doctor {
    func journal(_ p: TerminalProfile) {
        guard p.journalDirectory != nil else {
            report.add(DoctorCheck(.fail, "journal", "no journal directory: neither XDG_DATA_HOME nor HOME is an absolute path",
                                   hint: "set journal_dir = /absolute/path in the configuration, or HOME in the environment"))
            return
        }
        let directory = journalDirectory(p)
        let path = directory + "/" + Journal.fileName
        var info = stat()
        if stat(directory, &info) != 0 {
            // Not there yet: the first sale creates it, if an existing ancestor lets us.
            let ancestor = Self.nearestExistingAncestor(of: directory)
            if access(ancestor, W_OK) == 0 {
                report.add(DoctorCheck(.ok, "journal", "\(directory) does not exist yet: created with the first sale (\(ancestor) is writable)"))
            } else {
                report.add(DoctorCheck(.fail, "journal", "\(directory) does not exist and \(ancestor) is not writable by \(Self.userName(geteuid()))",
                                       hint: "set journal_dir to a directory this user can write, or create \(directory) for this user"))
            }
            return
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            report.add(DoctorCheck(.fail, "journal", "\(directory) is not a directory", hint: "set journal_dir to a directory"))
            return
        }
        guard access(directory, W_OK | X_OK) == 0 else {
            report.add(DoctorCheck(.fail, "journal", "\(directory) is not writable by \(Self.userName(geteuid()))",
                                   hint: "give this user the directory (`sudo chown -R $USER \(directory)`), or set journal_dir"))
            return
        }
        var file = stat()
        guard lstat(path, &file) == 0 else {
            report.add(DoctorCheck(.ok, "journal", "\(directory) writable; no journal yet (created with the first sale)"))
            return
        }
        guard file.st_mode & S_IFMT == S_IFREG else {
            report.add(DoctorCheck(.fail, "journal", "\(path) is not a regular file", hint: "move it away; qfecr writes a new journal there"))
            return
        }
        let mode = file.st_mode & 0o777
        let modeText = String(mode, radix: 8)
        let contents: JournalContents
        do {
            contents = try JournalReader.read(directory: directory)
        } catch {
            report.add(DoctorCheck(.fail, "journal", error.description, hint: "check the file's owner and mode (`ls -l \(path)`)"))
            return
        }
        if mode & 0o077 != 0 {
            report.add(DoctorCheck(.warn, "journal", "\(path) is mode \(modeText): other users can read the till's payments",
                                   hint: "run: chmod 600 \(path) (qfecr also fixes it the next time it opens the journal)"))
        } else {
            report.add(DoctorCheck(.ok, "journal", "\(path), mode \(modeText), \(contents.lineCount) line\(contents.lineCount == 1 ? "" : "s")"))
        }
        attempts(contents)
        index(directory, contents: contents)
    }

    /// The index beside the journal: up to date, behind (caught up at start), missing or not matching
    /// (rebuilt at start). Its unfinished attempts are held against those of the full read: an index
    /// that lists others (the journal edited by hand) would hide one from start-up.
    private func index(_ directory: String, contents: JournalContents) {
        let name = Journal.indexFileName
        let reader: IndexedJournal?
        do { reader = try IndexedJournal.reading(directory: directory) } catch {
            report.add(DoctorCheck(.warn, "index", "\(name) cannot be read: \(error.description)",
                                   hint: "qfecr rebuilds it from the journal at its next start"))
            return
        }
        guard let reader else { return }
        let listed = (try? reader.unfinished().map(\.outTradeNo)) ?? []
        let unfinished = contents.attempts.filter { !$0.state.isFinal }.map(\.outTradeNo)
        if Set(listed) != Set(unfinished) {
            report.add(DoctorCheck(.fail, "index", "\(name) lists other unfinished attempts than the journal's lines",
                                   hint: "remove \(directory)/\(name) (qfecr rebuilds it from the journal at its next start); never edit the journal by hand"))
            return
        }
        switch reader.status {
        case .current(let behind):
            report.add(DoctorCheck(.ok, "index", behind == 0 ? "\(name) is up to date"
                                   : "\(name) is \(behind) line\(behind == 1 ? "" : "s") behind the journal (the lines after it are read at start)"))
        case .built:
            report.add(DoctorCheck(.ok, "index", "no \(name) yet: qfecr builds it at its next start (one full read of the journal)"))
        case .rebuilt(let reason):
            report.add(DoctorCheck(.warn, "index", "\(name) does not match the journal (\(reason))",
                                   hint: "nothing to do: qfecr rebuilds it from the journal at its next start"))
        }
    }

    private func attempts(_ contents: JournalContents) {
        let all = contents.attempts
        let open = all.filter { !$0.state.isFinal }
        let counted = "\(all.count) attempt\(all.count == 1 ? "" : "s")"
        if open.isEmpty {
            report.add(DoctorCheck(.ok, "attempts", "\(counted), none unfinished"))
        } else {
            let unresolved = open.filter { $0.state == .unresolved }.count
            let lines = open.map { attempt in
                "\(attempt.outTradeNo)  \(attempt.kind.rawValue) \(attempt.amount.display) \(attempt.channel?.wireName ?? "")  "
                    + "\(attempt.state.word.english) since \(Self.stamp(attempt.createdAt))"
                    + (attempt.message.isEmpty ? "" : "  \(attempt.message)")
            }
            report.add(DoctorCheck(.warn, "attempts", "\(counted), \(open.count) unfinished"
                + (unresolved > 0 ? " (\(unresolved) unresolved)" : "") + ": they need attention, and no new sale is taken until they are settled",
                                   hint: "start `qfecr` (or run `qfecr query --out-trade-no ID` for each): unfinished attempts resume and are settled by inquiry; "
                                       + "one still unresolved can be settled by hand in the console after checking the merchant portal",
                                   info: lines))
        }
        if !contents.problems.isEmpty {
            let shown = contents.problems.prefix(5).map(\.description)
            let more = contents.problems.count > 5 ? ["… and \(contents.problems.count - 5) more"] : []
            report.add(DoctorCheck(.warn, "damaged", "\(contents.problems.count) journal line\(contents.problems.count == 1 ? "" : "s") could not be read (skipped)",
                                   hint: "keep the file as it is (it is the till's record); check the attempts around those lines in the merchant portal",
                                   info: shown + more))
        }
    }

    static func nearestExistingAncestor(of path: String) -> String {
        var current = path
        while current != "/" && !current.isEmpty {
            current = (current as NSString).deletingLastPathComponent
            if current.isEmpty { return "." }
            var info = stat()
            if stat(current, &info) == 0 { return current }
        }
        return "/"
    }

    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }
}

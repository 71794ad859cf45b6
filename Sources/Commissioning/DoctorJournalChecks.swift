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
            report.add(DoctorCheck(.fail, CheckName.journal, Words("no journal directory: neither XDG_DATA_HOME nor HOME is an absolute path",
                                                                   "沒有日誌目錄：XDG_DATA_HOME 及 HOME 皆非絕對路徑"),
                                   hint: Words("set journal_dir = /absolute/path in the configuration, or HOME in the environment",
                                               "於設定檔設定 journal_dir = /絕對/路徑，或於環境設定 HOME")))
            return
        }
        let directory = journalDirectory(p).english
        let path = directory + "/" + Journal.fileName
        var info = stat()
        if stat(directory, &info) != 0 {
            // Not there yet: the first sale creates it, if an existing ancestor lets us.
            let ancestor = Self.nearestExistingAncestor(of: directory)
            if access(ancestor, W_OK) == 0 {
                report.add(DoctorCheck(.ok, CheckName.journal, Words("\(directory) does not exist yet: created with the first sale (\(ancestor) is writable)",
                                                                     "\(directory) 尚未存在：第一筆交易時建立（\(ancestor) 可寫入）")))
            } else {
                let user = Self.userName(geteuid())
                report.add(DoctorCheck(.fail, CheckName.journal, Words("\(directory) does not exist and \(ancestor) is not writable by \(user)",
                                                                       "\(directory) 不存在，且 \(user) 無法寫入 \(ancestor)"),
                                       hint: Words("set journal_dir to a directory this user can write, or create \(directory) for this user",
                                                   "將 journal_dir 設為此使用者可寫入的目錄，或為此使用者建立 \(directory)")))
            }
            return
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            report.add(DoctorCheck(.fail, CheckName.journal, Words("\(directory) is not a directory", "\(directory) 不是目錄"),
                                   hint: Words("set journal_dir to a directory", "將 journal_dir 設為一個目錄")))
            return
        }
        guard access(directory, W_OK | X_OK) == 0 else {
            let user = Self.userName(geteuid())
            report.add(DoctorCheck(.fail, CheckName.journal, Words("\(directory) is not writable by \(user)", "\(user) 無法寫入 \(directory)"),
                                   hint: Words("give this user the directory (`sudo chown -R $USER \(directory)`), or set journal_dir",
                                               "把目錄交給此使用者（`sudo chown -R $USER \(directory)`），或設定 journal_dir")))
            return
        }
        var file = stat()
        guard lstat(path, &file) == 0 else {
            report.add(DoctorCheck(.ok, CheckName.journal, Words("\(directory) writable; no journal yet (created with the first sale)",
                                                                 "\(directory) 可寫入；尚無日誌（第一筆交易時建立）")))
            return
        }
        guard file.st_mode & S_IFMT == S_IFREG else {
            report.add(DoctorCheck(.fail, CheckName.journal, Words("\(path) is not a regular file", "\(path) 不是一般檔案"),
                                   hint: Words("move it away; qfecr writes a new journal there", "把它移走；qfecr 會在該處寫入新的日誌")))
            return
        }
        let mode = file.st_mode & 0o777
        let modeText = String(mode, radix: 8)
        let contents: JournalContents
        do {
            contents = try JournalReader.read(directory: directory)
        } catch {
            report.add(DoctorCheck(.fail, CheckName.journal, .same(error.description),
                                   hint: Words("check the file's owner and mode (`ls -l \(path)`)", "請檢查檔案的擁有者及權限（`ls -l \(path)`）")))
            return
        }
        if mode & 0o077 != 0 {
            report.add(DoctorCheck(.warn, CheckName.journal, Words("\(path) is mode \(modeText): other users can read the till's payments",
                                                                   "\(path) 權限為 \(modeText)：其他使用者可讀取本收銀機的交易"),
                                   hint: Words("run: chmod 600 \(path) (qfecr also fixes it the next time it opens the journal)",
                                               "請執行：chmod 600 \(path)（qfecr 下次開啟日誌時也會修正）")))
        } else {
            let lines = contents.lineCount
            report.add(DoctorCheck(.ok, CheckName.journal, Words("\(path), mode \(modeText), \(lines) line\(lines == 1 ? "" : "s")",
                                                                 "\(path)，權限 \(modeText)，\(lines) 行")))
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
            report.add(DoctorCheck(.warn, CheckName.index, Words("\(name) cannot be read: \(error.description)", "無法讀取 \(name)：\(error.description)"),
                                   hint: Words("qfecr rebuilds it from the journal at its next start", "qfecr 下次啟動時會從日誌重建")))
            return
        }
        guard let reader else { return }
        let listed = (try? reader.unfinished().map(\.outTradeNo)) ?? []
        let unfinished = contents.attempts.filter { !$0.state.isFinal }.map(\.outTradeNo)
        if Set(listed) != Set(unfinished) {
            report.add(DoctorCheck(.fail, CheckName.index, Words("\(name) lists other unfinished attempts than the journal's lines",
                                                               "\(name) 所列的未完成交易與日誌內容不符"),
                                   hint: Words("remove \(directory)/\(name) (qfecr rebuilds it from the journal at its next start); never edit the journal by hand",
                                               "刪除 \(directory)/\(name)（qfecr 下次啟動時會從日誌重建）；切勿手動修改日誌")))
            return
        }
        switch reader.status {
        case .current(let behind):
            report.add(DoctorCheck(.ok, CheckName.index, behind == 0
                                   ? Words("\(name) is up to date", "\(name) 已是最新")
                                   : Words("\(name) is \(behind) line\(behind == 1 ? "" : "s") behind the journal (the lines after it are read at start)",
                                           "\(name) 落後日誌 \(behind) 行（啟動時會讀取其後各行）")))
        case .built:
            report.add(DoctorCheck(.ok, CheckName.index, Words("no \(name) yet: qfecr builds it at its next start (one full read of the journal)",
                                                             "尚無 \(name)：qfecr 下次啟動時會建立（讀取整份日誌一次）")))
        case .rebuilt(let reason):
            report.add(DoctorCheck(.warn, CheckName.index, Words("\(name) does not match the journal (\(reason))", "\(name) 與日誌不符（\(reason)）"),
                                   hint: Words("nothing to do: qfecr rebuilds it from the journal at its next start", "毋須處理：qfecr 下次啟動時會從日誌重建")))
        }
    }

    private func attempts(_ contents: JournalContents) {
        let all = contents.attempts
        let open = all.filter { !$0.state.isFinal }
        let counted = "\(all.count) attempt\(all.count == 1 ? "" : "s")"
        if open.isEmpty {
            report.add(DoctorCheck(.ok, CheckName.attempts, Words("\(counted), none unfinished", "\(all.count) 筆交易，沒有未完成的")))
        } else {
            let unresolved = open.filter { $0.state == .unresolved }.count
            let lines = open.map { attempt in
                let head = "\(attempt.outTradeNo)  \(attempt.kind.rawValue) \(attempt.amount.display) \(attempt.channel?.wireName ?? "")  "
                let note = attempt.message.isEmpty ? "" : "  \(attempt.message)"
                return Words(head + "\(attempt.state.word.english) since \(Self.stamp(attempt.createdAt))" + note,
                             head + "\(attempt.state.word.traditionalChinese)，自 \(Self.stamp(attempt.createdAt))" + note)
            }
            report.add(DoctorCheck(.warn, CheckName.attempts,
                                   Words("\(counted), \(open.count) unfinished" + (unresolved > 0 ? " (\(unresolved) unresolved)" : "")
                                            + ": they need attention, and no new sale is taken until they are settled",
                                         "\(all.count) 筆交易，\(open.count) 筆未完成" + (unresolved > 0 ? "（\(unresolved) 筆未解決）" : "")
                                            + "：須要處理，未處理前不會接受新交易"),
                                   hint: Words("start `qfecr` (or run `qfecr query --out-trade-no ID` for each): unfinished attempts resume and are settled by inquiry; "
                                                + "one still unresolved can be settled by hand in the console after checking the merchant portal",
                                               "啟動 `qfecr`（或逐筆執行 `qfecr query --out-trade-no ID`）：未完成的交易會續查並以查詢結算；"
                                                + "仍未解決的，可在核對商戶後台後於主控台手動結算"),
                                   info: lines))
        }
        if !contents.problems.isEmpty {
            let count = contents.problems.count
            let shown = contents.problems.prefix(5).map { Words.same($0.description) }
            let more = count > 5 ? [Words("… and \(count - 5) more", "… 另有 \(count - 5) 行")] : []
            report.add(DoctorCheck(.warn, CheckName.damaged, Words("\(count) journal line\(count == 1 ? "" : "s") could not be read (skipped)",
                                                                   "日誌有 \(count) 行無法讀取（已略過）"),
                                   hint: Words("keep the file as it is (it is the till's record); check the attempts around those lines in the merchant portal",
                                               "請保留檔案原樣（它是收銀機的紀錄）；於商戶後台核對這些行前後的交易"),
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

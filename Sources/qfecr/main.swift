import QfecrCommands
import Foundation

exit(QfecrMain.run(CommandLine.arguments))

#include "gtp/options.h"

#include "gtp/line_reader.h"
#include "gtp/transport_serial.h"

namespace hoshi::gtp {

void declareGtpOptions(config::OptionRegistry& registry) {
  using namespace config;  // the option constructors
  using P = Params;
  // The transports' own defaults are the settings' defaults.
  const PumpOptions pump;
  const SerialOptions serial;
  registry.addAll({
      // Protocol and logging.
      stringOption("gtpVersion", &P::gtpVersion, "", {},
                   "what GTP version answers (empty: Hoshi's own); -override-version sets it, "
                   "and Lizzie then uses KataGo's analysis",
                   false),
      stringOption("logFile", &P::logFile, "", {}, "file to append the log to (empty: none)",
                   false),
      boolOption("logToStderr", &P::logToStderr, "false",
                 "log to stderr as well as to the log file (without a log file the log goes "
                 "to stderr unless this is set false)",
                 false),
      boolOption("logAllGTPCommunication", &P::logAllGTPCommunication, "false",
                 "log every GTP command and response"),
      // Transports. Empty gtpListen and gtpSerial: GTP on stdin/stdout.
      stringOption("gtpListen", &P::gtpListen, "", {},
                   "serve GTP over TCP on HOST:PORT (or PORT: 127.0.0.1:PORT); one front end "
                   "at a time",
                   false),
      floatOption("gtpIdleTimeoutSeconds", &P::gtpIdleTimeoutSeconds, pump.idleTimeoutSeconds, 0,
                  1e9, "close a TCP front end silent this long (0: never)", false),
      intOption("gtpMaxLineLength", &P::gtpMaxLineLength, int64_t(pump.maxLineLength), 64, 1 << 24,
                "longest GTP command line accepted (stdin, TCP or serial), in bytes", false),
      boolOption("gtpKeepStateOnDisconnect", &P::gtpKeepStateOnDisconnect, "false",
                 "keep the game when a front end disconnects (false: the next one starts "
                 "from a clear board)",
                 false),
      stringOption("gtpSerial", &P::gtpSerial, "", {},
                   "serve GTP on this serial device (/dev/ttyGS0, /dev/ttyUSB0, ...)", false),
      intOption("gtpSerialBaud", &P::gtpSerialBaud, int64_t(serial.baud), 1200, 4000000,
                "serial line speed", false),
      // KataGo's keys taken for drop-in use.
      stringOption("logDir", &P::logDir, "", {},
                   "folder for the log, a new file per run (when logFile is empty)", false),
      boolOption("logSearchInfo", &P::logSearchInfo, "false",
                 "log a summary of each genmove's search (visits, winrate, score, best moves)"),
      stringOption("gtpFileAccessDir", &P::gtpFileAccessDir, "", {},
                   "the folder loadsgf/printsgf FILE may use over TCP or serial (empty: "
                   "remote front ends get no file access; stdin always has it)",
                   false),
  });
}

}  // namespace hoshi::gtp

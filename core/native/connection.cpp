// What every backend's connection answers alike.
#include "connectionbasics_p.h"

namespace PipeScope::Native {

PipeType Connection::type() const { return basicsOf(*d).type; }
ReadMode Connection::readMode() const { return basicsOf(*d).readMode; }
const PeerInfo &Connection::peer() const { return basicsOf(*d).peer; }
std::string Connection::description() const { return basicsOf(*d).description; }

} // namespace PipeScope::Native

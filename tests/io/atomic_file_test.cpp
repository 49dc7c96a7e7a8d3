// Output files: targets refused before a run, atomic replacement that keeps permissions and
// symlinks, this program's temporaries (only those) cleaned, and SIGTERM during a write.

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "letf/io/atomic_file.hpp"
#include "letf/base/error.hpp"
#include "test_util.hpp"

namespace {

namespace fs = std::filesystem;

/// A fresh folder for output files (test::TempDir).
class AtomicFile : public ::testing::Test {
protected:
    static std::string read(const fs::path& p) {
        std::ifstream in(p, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }

    std::vector<std::string> names(const fs::path& dir) const {
        std::vector<std::string> out;
        for (const auto& e : fs::directory_iterator(dir))
            out.push_back(e.path().filename().string());
        std::sort(out.begin(), out.end());
        return out;
    }

    bool has_temporary() const {
        for (const auto& e : fs::recursive_directory_iterator(dir_))
            if (letf::is_own_temporary(e.path()))
                return true;
        return false;
    }

    /// The pid of a process that has ended (forked, exited and reaped).
    static pid_t dead_pid() {
        const pid_t child = ::fork();
        if (child == 0)
            ::_exit(0);
        int status = 0;
        ::waitpid(child, &status, 0);
        return child;
    }

    letf::test::TempDir tmp_;
    fs::path dir_ = tmp_.path();
};

TEST_F(AtomicFile, WritesAndReplaces) {
    const fs::path p = dir_ / "sub" / "deeper" / "r.json";
    letf::write_file_atomic(p, "first\n");
    EXPECT_EQ(read(p), "first\n");
    const std::string second("second\0with nul\n", 16);
    letf::write_file_atomic(p, second);
    EXPECT_EQ(read(p), second);
    letf::write_file_atomic(p, "");
    EXPECT_TRUE(fs::is_regular_file(p));
    EXPECT_EQ(fs::file_size(p), 0u);
    EXPECT_FALSE(has_temporary());
    EXPECT_EQ(names(dir_ / "sub" / "deeper"), std::vector<std::string>{"r.json"});
}

TEST_F(AtomicFile, ThrowsWhenParentIsAFile) {
    const fs::path blocker = dir_ / "plain";
    { std::ofstream(blocker) << "keep"; }
    EXPECT_THROW(letf::write_file_atomic(blocker / "r.json", "x"), std::runtime_error);
    EXPECT_THROW(letf::write_file_atomic(blocker / "a" / "r.json", "x"), std::runtime_error);
    EXPECT_EQ(read(blocker), "keep");
    EXPECT_FALSE(has_temporary());
    try {
        letf::write_file_atomic(blocker / "r.json", "x");
        ADD_FAILURE() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find((blocker / "r.json").string()), std::string::npos)
            << e.what();
    }
}

TEST_F(AtomicFile, FolderTargetIsRefusedAsInput) {
    const fs::path target = dir_ / "taken";
    fs::create_directory(target);
    EXPECT_THROW(letf::check_output_file(target), letf::InputError);
    EXPECT_THROW(letf::write_file_atomic(target, "x"), letf::InputError);
    EXPECT_TRUE(fs::is_directory(target));
    EXPECT_FALSE(has_temporary());
}

// Defect 1: a FIFO (or a device) was replaced by a regular file.
TEST_F(AtomicFile, FifoTargetIsRefusedAndKept) {
    const fs::path fifo = dir_ / "fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
    try {
        letf::check_output_file(fifo);
        ADD_FAILURE() << "no exception";
    } catch (const letf::InputError& e) {
        EXPECT_EQ(e.file(), fifo.string());
        EXPECT_NE(std::string(e.what()).find("a FIFO"), std::string::npos) << e.what();
    }
    EXPECT_THROW(letf::write_file_atomic(fifo, "x"), letf::InputError);
    EXPECT_TRUE(fs::is_fifo(fifo));
    EXPECT_EQ(names(dir_), std::vector<std::string>{"fifo"});
}

TEST_F(AtomicFile, MissingOrRegularTargetIsAccepted) {
    EXPECT_NO_THROW(letf::check_output_file(dir_ / "new.json"));
    EXPECT_NO_THROW(letf::check_output_file(tmp_.write("old.json", "x")));
    EXPECT_NO_THROW(letf::check_output_folder(dir_));
    EXPECT_NO_THROW(letf::check_output_folder(dir_ / "new"));
    EXPECT_THROW(letf::check_output_folder(tmp_.write("file", "x")), letf::InputError);
}

// Defect 18: replacing a report reset 0600 to 0644.
TEST_F(AtomicFile, ReplacementKeepsPermissionBits) {
    const fs::path p = tmp_.write("r.json", "old");
    ASSERT_EQ(::chmod(p.c_str(), 0600), 0);
    letf::write_file_atomic(p, "new");
    struct stat st {};
    ASSERT_EQ(::stat(p.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0600u);
    EXPECT_EQ(read(p), "new");
}

TEST_F(AtomicFile, SymlinkIsWrittenThroughAndKept) {
    fs::create_directory(dir_ / "real");
    const fs::path target = dir_ / "real" / "r.json";
    { std::ofstream(target) << "old"; }
    const fs::path link = dir_ / "link.json";
    fs::create_symlink(target, link);
    letf::write_file_atomic(link, "new");
    EXPECT_TRUE(fs::is_symlink(link));
    EXPECT_EQ(read(target), "new");
    EXPECT_EQ(names(dir_ / "real"), std::vector<std::string>{"r.json"});
    // A dangling link: the file it names is created.
    const fs::path dangling = dir_ / "dangling.json";
    fs::create_symlink(dir_ / "real" / "made.json", dangling);
    letf::write_file_atomic(dangling, "made");
    EXPECT_TRUE(fs::is_symlink(dangling));
    EXPECT_EQ(read(dir_ / "real" / "made.json"), "made");
}

TEST_F(AtomicFile, OwnTemporariesAreRecognisedAndNothingElse) {
    EXPECT_TRUE(letf::is_own_temporary(".r.json.letfsim-tmp.123.0"));
    EXPECT_TRUE(letf::is_own_temporary("/x/y/.0001.json.letfsim-tmp.77.12"));
    EXPECT_FALSE(letf::is_own_temporary("r.json.tmp.123"));
    EXPECT_FALSE(letf::is_own_temporary("notes.tmp.txt"));
    EXPECT_FALSE(letf::is_own_temporary(".r.json.letfsim-tmp.123"));
    EXPECT_FALSE(letf::is_own_temporary(".r.json.letfsim-tmp.12a.0"));
    EXPECT_FALSE(letf::is_own_temporary("r.json.letfsim-tmp.123.0"));
}

// Defect 11: temporaries of a killed run stayed for ever.
TEST_F(AtomicFile, StaleTemporariesOfTheTargetAreRemovedLiveOnesKept) {
    const pid_t dead = dead_pid();
    const std::string stale = ".r.json.letfsim-tmp." + std::to_string(dead) + ".0";
    const std::string live = ".r.json.letfsim-tmp.1.0"; // pid 1 is alive
    const std::string other = ".other.json.letfsim-tmp." + std::to_string(dead) + ".0";
    tmp_.write(stale, "half");
    tmp_.write(live, "half");
    tmp_.write(other, "half");
    tmp_.write("notes.tmp.txt", "mine");
    letf::write_file_atomic(dir_ / "r.json", "x");
    EXPECT_EQ(names(dir_), (std::vector<std::string>{other, live, "notes.tmp.txt", "r.json"}));
    EXPECT_EQ(letf::remove_stale_temporaries(dir_), 1);
    EXPECT_EQ(names(dir_), (std::vector<std::string>{live, "notes.tmp.txt", "r.json"}));
}

// Defect 11: SIGTERM while the report is being written leaves no temporary; exit 143.
TEST_F(AtomicFile, SigtermDuringAWriteRemovesTheTemporary) {
    const fs::path target = dir_ / "big.json";
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        letf::install_signal_cleanup();
        const std::string content(std::size_t{256} << 20, 'x'); // long enough to be caught writing
        letf::write_file_atomic(target, content);
        ::_exit(0);
    }
    // Wait for the temporary to appear, then stop the writer.
    bool seen = false;
    for (int i = 0; i < 20000 && !seen; ++i) {
        for (const auto& e : fs::directory_iterator(dir_))
            seen = seen || letf::is_own_temporary(e.path());
        if (!seen)
            std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    ::kill(child, SIGTERM);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(seen) << "the writer's temporary never appeared";
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 143);
    EXPECT_TRUE(names(dir_).empty()) << names(dir_).front();
}

// Defect 12: a FIFO blocked for ever, /dev/zero read 2 GB, a folder was "invalid JSON".
TEST_F(AtomicFile, InputFilesMustBeRegularAndWithinTheLimit) {
    const fs::path fifo = dir_ / "fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
    const auto message = [](const fs::path& p, std::uintmax_t limit) {
        try {
            letf::read_input_file(p, limit);
        } catch (const letf::InputError& e) {
            EXPECT_EQ(e.file(), p.string());
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(message(fifo, 1 << 20).find("a FIFO"), std::string::npos);
    EXPECT_NE(message("/dev/zero", 1 << 20).find("a character device"), std::string::npos);
    EXPECT_NE(message(dir_, 1 << 20).find("is a folder"), std::string::npos);
    EXPECT_NE(message(dir_ / "missing", 1 << 20).find("cannot open"), std::string::npos);
    const fs::path big = tmp_.write("big.json", std::string(3 << 20, ' '));
    EXPECT_NE(message(big, 2 << 20).find("is too large: 3 MiB, the limit is 2 MiB"),
              std::string::npos)
        << message(big, 2 << 20);
    EXPECT_EQ(letf::read_input_file(big, 3 << 20).size(), std::size_t{3} << 20);
}

} // namespace

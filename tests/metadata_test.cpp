// What a Parafrac PNG says about itself: every key, written once for both front ends and read back.
#include "parafrac/metadata.hpp"

#include <gtest/gtest.h>

#include <string>

#include "parafrac/error.hpp"

namespace parafrac {
namespace {

PictureMetadata app_picture() {
  PictureMetadata picture;
  picture.software = "Parafrac 9.9.9";
  picture.view = View{-0.743643887, 0.131825904, 8e-13, 640, 480};
  picture.max_iter = 4000;
  picture.colouring = {"fire", 0.35f};
  picture.render = RenderRecord{"pool", 4, 128, 0.25, 0.875, {}, true};
  return picture;
}

TEST(PictureMetadata, CarriesEveryKeyInTheShortestExactForm) {
  const TextChunks expected = {{"Software", "Parafrac 9.9.9"},
                               {"parafrac.preset", "default"},
                               {"parafrac.center", "-0.743643887,0.131825904"},
                               {"parafrac.scale", "8e-13"},
                               {"parafrac.size", "640x480"},
                               {"parafrac.max_iter", "4000"},
                               {"parafrac.palette", "fire"},
                               {"parafrac.palette_offset", "0.35"},
                               {"parafrac.strategy", "pool"},
                               {"parafrac.workers", "4"},
                               {"parafrac.tile", "128"},
                               {"parafrac.render_seconds", "0.25"},
                               {"parafrac.cpu_seconds", "0.875"}};
  EXPECT_EQ(picture_metadata(app_picture()), expected);
}

// A strategy's own settings go with the record, and a picture that is not the serial image says so.
TEST(PictureMetadata, SaysTheStrategysSettingsAndWhenThePictureIsNotExact) {
  PictureMetadata picture = app_picture();
  picture.render = RenderRecord{"gpu", 1, 64, 0.5, std::nullopt, {{"batch", "0"}, {"precision", "float"}}, false};
  const TextChunks text = picture_metadata(picture);
  const auto value = [&](std::string_view key) {
    for (const auto& [name, v] : text)
      if (name == key) return v;
    return std::string("(none)");
  };
  EXPECT_EQ(value("parafrac.strategy_settings"), "batch=0,precision=float");
  EXPECT_EQ(value("parafrac.exact"), "no");
  EXPECT_EQ(value("parafrac.strategy"), "gpu");
}

TEST(PictureMetadata, APresetHasASizeButNoViewAndNoRecordWithoutARender) {
  PictureMetadata picture;
  picture.software = "Parafrac 9.9.9";
  picture.preset = "seed";
  picture.description = "seed workload 30x40, 20 iterations";
  picture.width = 30;
  picture.height = 40;
  picture.max_iter = 20;
  const TextChunks expected = {{"Software", "Parafrac 9.9.9"},
                               {"parafrac.preset", "seed"},
                               {"parafrac.description", "seed workload 30x40, 20 iterations"},
                               {"parafrac.size", "30x40"},
                               {"parafrac.max_iter", "20"},
                               {"parafrac.palette", "ocean"},
                               {"parafrac.palette_offset", "0"}};
  EXPECT_EQ(picture_metadata(picture), expected);
  EXPECT_THROW(read_view_metadata(picture_metadata(picture)), Error)
      << "a preset's grid is not a view to open";
}

TEST(PictureMetadata, ReadingBackRestoresTheViewAndTheColouringExactly) {
  const PictureMetadata picture = app_picture();
  const SavedView saved = read_view_metadata(picture_metadata(picture));
  EXPECT_EQ(saved.view.center_re, picture.view->center_re);
  EXPECT_EQ(saved.view.center_im, picture.view->center_im);
  EXPECT_EQ(saved.view.scale, picture.view->scale);
  EXPECT_EQ(saved.view.width, 640);
  EXPECT_EQ(saved.view.height, 480);
  EXPECT_EQ(saved.max_iter, 4000u);
  ASSERT_TRUE(saved.colouring.has_value());
  EXPECT_EQ(saved.colouring->palette, "fire");
  EXPECT_EQ(saved.colouring->offset, 0.35f);
}

TEST(PictureMetadata, AnImageWithoutAnOffsetReadsOffsetZeroAndOneWithoutAPaletteNone) {
  const TextChunks view = {{"parafrac.center", "0,0"}, {"parafrac.scale", "1"}};
  TextChunks named = view;
  named.push_back({"parafrac.palette", "grey"});
  const SavedView saved = read_view_metadata(named);
  ASSERT_TRUE(saved.colouring.has_value());
  EXPECT_EQ(saved.colouring->palette, "grey");
  EXPECT_EQ(saved.colouring->offset, 0.0f);
  EXPECT_FALSE(read_view_metadata(view).colouring.has_value()) << "keep the colours the user has";
}

TEST(PictureMetadata, ABadPaletteOrOffsetIsRefusedByName) {
  auto message = [](const std::string& key, const std::string& value) {
    try {
      read_view_metadata({{"parafrac.center", "0,0"},
                          {"parafrac.scale", "1"},
                          {"parafrac.palette", "ocean"},
                          {key, value}});
    } catch (const Error& error) {
      return std::string(error.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message("parafrac.palette_offset", "1.5"),
            "the image's parafrac.palette_offset must be between 0 and 1, not 1.5");
  EXPECT_EQ(message("parafrac.palette_offset", "nan"),
            "the image's parafrac.palette_offset must be between 0 and 1, not nan");
  EXPECT_EQ(message("parafrac.palette_offset", "x"),
            "the image's parafrac.palette_offset: 'x' is not a number");
  try {
    read_view_metadata(
        {{"parafrac.center", "0,0"}, {"parafrac.scale", "1"}, {"parafrac.palette", "plaid"}});
    FAIL() << "an unknown palette was accepted";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "the image's parafrac.palette: no palette is called 'plaid'");
  }
}

}  // namespace
}  // namespace parafrac

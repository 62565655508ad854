//! A link as a QR code in the terminal, so a payer can open it with a phone: two modules per
//! character cell (Unicode half blocks), inside the quiet zone scanners need to find the code.

use qrcode::render::unicode::Dense1x2;
use qrcode::types::QrError;
use qrcode::{EcLevel, QrCode};

/// Black on bright white, whatever the terminal's own colours: plain half blocks are drawn in
/// the foreground colour, so a dark theme would show the code inverted, and its quiet zone in
/// the dark background, which many scanners cannot read.
const BLACK_ON_WHITE: &str = "\u{1b}[30;107m";
/// Back to the terminal's colours at the end of every line, so nothing else is painted.
const RESET: &str = "\u{1b}[0m";

/// `text` as a QR code, one line of text per two rows of modules, ending in a newline. With
/// `colour`, each line is painted black on white; without, dark modules are the drawn
/// characters, which reads right on a light background or on paper.
///
/// # Errors
/// The text is too long for any QR code (about 2,900 bytes).
pub fn render(text: &str, colour: bool) -> Result<String, QrError> {
    // Low error correction keeps the code small enough for a terminal; a screen is not smudged
    // or torn the way printed codes are.
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L)?;
    let image = code.render::<Dense1x2>().quiet_zone(true).build();
    let mut drawn = String::with_capacity(image.len() * 2);
    for line in image.lines() {
        if colour {
            drawn.push_str(BLACK_ON_WHITE);
            drawn.push_str(line);
            drawn.push_str(RESET);
        } else {
            drawn.push_str(line);
        }
        drawn.push('\n');
    }
    Ok(drawn)
}

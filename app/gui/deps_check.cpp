// Links Dear ImGui with its GLFW/OpenGL3 backends and the generated glad loader, and creates
// (and destroys) an ImGui context: proof that the GUI's dependencies resolve. Needs no display.
#include <glad/gl.h>
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <cstdio>

int main() {
  IMGUI_CHECKVERSION();
  ImGui::DestroyContext(ImGui::CreateContext());
  // Taking the addresses makes the linker resolve the backends and the loader.
  void* volatile linked[] = {reinterpret_cast<void*>(&ImGui_ImplGlfw_InitForOpenGL),
                             reinterpret_cast<void*>(&ImGui_ImplOpenGL3_Init),
                             reinterpret_cast<void*>(&gladLoadGL)};
  std::printf("Dear ImGui %s, GLFW %s, %zu entry points linked\n", ImGui::GetVersion(),
              glfwGetVersionString(), sizeof linked / sizeof linked[0]);
  return 0;
}

from flask import Flask
from flask_login import LoginManager

login_manager = LoginManager()
login_manager.login_view = "auth.login"


def create_app(config=None):
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "notes-secret"
    if config:
        app.config.update(config)
    login_manager.init_app(app)
    from .auth import auth
    from .views import main
    app.register_blueprint(auth)
    app.register_blueprint(main)
    return app
